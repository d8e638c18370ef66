import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderAttemptKey } from '#domain/model/asset-keys';
import type { Campaign, RendererSettings } from '#domain/model/campaign';
import type { RenderAttempt, RenderJob, RenderResult } from '#domain/model/render-job';
import type { Deps } from '#ports/deps';
import { clipCost } from '#domain/render/model-profile';
import { DEFAULT_PROFILE } from '#domain/render/models/index';
import { attemptCost, billedVideoSeconds, PRICE_TABLE } from '#domain/render/price-table';
import { profileOfJob } from '#domain/render/profile-request';
import type { RenderClient } from '#ports/render-client';
import { RenderBudgetExceededError } from '#ports/render-errors';
import type { RenderLoop, RenderStepInput } from '#ports/workflow-payloads';
import { loadCampaign, loadRenderJob } from './load-documents.ts';
import { renderProcedural } from './render-procedural.ts';
import { reusableRender } from './reusable-render.ts';
import { withScratch } from './scratch.ts';
import { MIME } from '#domain/model/content-types';

/**
 * The render loop's steps, one per workflow Task: submit an attempt, poll it (copy the output into the
 * store at once, run the quality gate, retry with the next seed), and fall back to the procedural
 * renderer. All loop state lives in the tracker, keyed by renderHash, so a retried Lambda or a re-run
 * resumes where it stopped and never pays twice.
 */

const DONE = (attempt: number): RenderLoop => ({ state: 'DONE', waitSeconds: 1, attempt });

interface Context {
  campaign: Campaign;
  settings: RendererSettings;
  job: RenderJob;
}

async function context(deps: Deps, input: RenderStepInput): Promise<Context> {
  const [campaign, job] = await Promise.all([loadCampaign(deps.store, input.campaignKey), loadRenderJob(deps.store, input.jobKey)]);
  return { campaign, settings: campaign.renderer, job };
}

/** The model profile of a generative job (jobs planned before profiles: the kind's default). */
function profileFor(settings: RendererSettings, job: RenderJob) {
  return settings.kind === 'procedural' || !job.clip ? undefined : profileOfJob(job, settings.profile ?? DEFAULT_PROFILE[settings.kind]);
}

/** What one completed attempt costs: the profile's price rule on the clip asked for (size and fps as returned), else the kind's price table. */
function costOf(settings: RendererSettings, job: RenderJob, computeSeconds?: number, returned?: { width: number; height: number; fps: number }): number {
  const profile = profileFor(settings, job);
  if (profile && job.clip) return clipCost(profile, { ...job.clip, ...(returned ?? {}) }, computeSeconds);
  return attemptCost(PRICE_TABLE[settings.kind], job.duration, computeSeconds);
}

/** Seconds of video an attempt asks for (what per-output prices are billed on). */
function videoSecondsOf(settings: RendererSettings, job: RenderJob): number {
  return job.clip?.seconds ?? billedVideoSeconds(PRICE_TABLE[settings.kind], job.duration);
}

/**
 * Reserves `usd` against the campaign's daily and monthly budgets (single-item conditional updates in the
 * tracker, so concurrent runs cannot overspend); the reason when either would be passed, else undefined.
 */
async function reserveCampaignBudget(deps: Deps, campaign: Campaign, usd: number): Promise<string | undefined> {
  const { dailyBudgetUsd: daily, monthlyBudgetUsd: monthly } = campaign.renderer;
  const day = deps.now().toISOString().slice(0, 10);
  const dayKey = `campaign-${campaign.id}-day-${day}`;
  if (daily !== undefined && !(await deps.tracker.reserveBudget(dayKey, usd, daily))) {
    return (
      `campaign budget: the daily budget of $${daily} for campaign ${campaign.id} on ${day} ` +
      `would be exceeded ($${usd} more); raise renderer.dailyBudgetUsd or wait for tomorrow (UTC).`
    );
  }
  if (monthly !== undefined && !(await deps.tracker.reserveBudget(`campaign-${campaign.id}-month-${day.slice(0, 7)}`, usd, monthly))) {
    // Give the day back what it reserved: the shot is not submitted.
    if (daily !== undefined) await deps.tracker.reserveBudget(dayKey, -usd, daily);
    return (
      `campaign budget: the monthly budget of $${monthly} for campaign ${campaign.id} in ${day.slice(0, 7)} ` +
      `would be exceeded ($${usd} more); raise renderer.monthlyBudgetUsd.`
    );
  }
  return undefined;
}

function client(deps: Deps, settings: RendererSettings): RenderClient {
  return deps.renderClients(settings);
}

/** Attempt n renders with the next seed after attempt n-1 ("re-rendered with the next seed"). */
const seedOf = (job: RenderJob, attempt: number) => (job.seed + attempt - 1) % 2 ** 32;
const keyOf = (renderHash: string, attempt: number) => `${renderHash}-a${attempt}`;

function baseRecord(input: RenderStepInput, settings: RendererSettings, known?: RenderResult) {
  return {
    attempts: known?.attempts ?? 0,
    endpoint: settings.kind,
    templateId: input.templateId ?? known?.templateId,
    runId: input.runId,
    currentAttempt: known?.currentAttempt ?? 0,
    attemptStartedAt: known?.attemptStartedAt,
    firstAttemptAt: known?.firstAttemptAt,
    fallback: false,
    videoSeconds: known?.videoSeconds ?? 0,
    costUsd: known?.costUsd ?? 0,
    attemptErrors: known?.attemptErrors ?? [],
  };
}

/** Submits the shot's current attempt, unless the tracker shows it submitted already (then it just waits). */
export async function submitRender(deps: Deps, input: RenderStepInput): Promise<RenderLoop> {
  const reused = await reusableRender(deps, input.renderHash);
  if (reused) return { ...DONE(reused.attempts), reused: true };
  const { campaign, settings, job } = await context(deps, input);
  const known = await deps.tracker.getRender(input.renderHash);
  if (settings.kind === 'procedural') {
    await renderProcedural(deps, job, { ...baseRecord(input, settings, known), endpoint: 'procedural' });
    return DONE(0);
  }
  const attempt = Math.max(1, known?.currentAttempt ?? 0);
  const wait: RenderLoop = { state: 'WAITING', waitSeconds: settings.pollSeconds, attempt };
  const now = deps.now().toISOString();
  const intent: RenderAttempt = {
    schemaVersion: 1,
    renderHash: job.renderHash,
    attempt,
    seed: seedOf(job, attempt),
    renderer: settings.kind,
    idempotencyKey: keyOf(job.renderHash, attempt),
    state: 'SUBMITTING',
    submittedAt: now,
    videoSeconds: videoSecondsOf(settings, job),
    costUsd: 0,
  };
  // The intent is written BEFORE the provider is called; a retry or re-run finds it and its job id.
  const claimed = await deps.tracker.putAttemptIfAbsent(intent);
  const existing = claimed ? intent : ((await deps.tracker.getAttempt(job.renderHash, attempt)) ?? intent);
  if (existing.providerJobId) return wait;
  if (existing.error?.startsWith('budget')) throw new RenderBudgetExceededError(existing.error);
  if (existing.error?.startsWith('campaign budget')) return budgetStop(deps, input, settings, job, known, existing.error);
  if (claimed && (settings.dailyBudgetUsd !== undefined || settings.monthlyBudgetUsd !== undefined)) {
    const stopped = await reserveCampaignBudget(deps, campaign, costOf(settings, job));
    if (stopped) {
      await deps.tracker.putAttempt({ ...intent, state: 'FAILED', error: stopped, finishedAt: now });
      return budgetStop(deps, input, settings, job, known, stopped);
    }
  }
  if (claimed && settings.budgetUsd !== undefined) {
    const estimate = costOf(settings, job);
    if (!(await deps.tracker.reserveBudget(input.runId, estimate, settings.budgetUsd))) {
      const message =
        `budget: campaign renderer budget of $${settings.budgetUsd} for run ${input.runId} ` +
        `would be exceeded by shot ${job.renderHash} ($${estimate}); ` +
        `raise renderer.budgetUsd or render fewer products.`;
      await deps.tracker.putAttempt({ ...intent, state: 'FAILED', error: message, finishedAt: now });
      throw new RenderBudgetExceededError(message);
    }
  }
  // Same idempotency key on every try of this attempt: providers that dedupe on it start it once.
  const image = job.imageKey ? { bytes: await deps.store.getBytes(job.imageKey), contentType: '' } : undefined;
  if (image) image.contentType = image.bytes[0] === 0x89 ? MIME.png : image.bytes[0] === 0x52 ? MIME.webp : MIME.jpeg;
  // The photo as the model wants it (size, aspect, format, byte cap); adline's own protocol takes the photo as is.
  const profile = profileFor(settings, job);
  if (image && profile && profile.provider !== 'http')
    Object.assign(
      image,
      await deps.media.prepareInputImage(image.bytes, profile.image, { width: job.width, height: job.height, background: job.background[0] }),
    );
  const { providerJobId } = await client(deps, settings).submit({ job, seed: existing.seed, idempotencyKey: existing.idempotencyKey, image });
  await deps.tracker.putAttempt({ ...existing, providerJobId, state: 'QUEUED' });
  await deps.tracker.putRender({
    ...baseRecord(input, settings, known),
    schemaVersion: 1,
    renderHash: job.renderHash,
    state: 'QUEUED',
    renderer: settings.kind,
    renderSeconds: 0,
    currentAttempt: attempt,
    attempts: Math.max(attempt, known?.attempts ?? 0),
    attemptStartedAt: existing.submittedAt,
    firstAttemptAt: known?.firstAttemptAt ?? existing.submittedAt,
  });
  return wait;
}

/** Polls the current attempt: waits, stores and checks a finished output, or moves to the next attempt or the fallback. */
export async function pollRender(deps: Deps, input: RenderStepInput): Promise<RenderLoop> {
  const known = await deps.tracker.getRender(input.renderHash);
  if (known?.state === 'SUCCEEDED') return DONE(known.attempts);
  const ctx = await context(deps, input);
  const { settings, job } = ctx;
  const attemptNo = known?.currentAttempt ?? 1;
  const attempt = await deps.tracker.getAttempt(job.renderHash, attemptNo);
  if (!attempt?.providerJobId) return { state: 'RESUBMIT', waitSeconds: settings.pollSeconds, attempt: attemptNo };
  const endpoint = client(deps, settings);
  const status = await endpoint.status(attempt.providerJobId);
  const elapsed = (deps.now().getTime() - Date.parse(attempt.submittedAt)) / 1000;
  const charged = (computeSeconds?: number, returned?: { width: number; height: number; fps: number }) => costOf(settings, job, computeSeconds, returned);

  if (status.state === 'QUEUED' || status.state === 'RUNNING') {
    if (elapsed <= settings.timeoutSeconds) {
      if (attempt.state !== status.state) await deps.tracker.putAttempt({ ...attempt, state: status.state });
      return { state: 'WAITING', waitSeconds: settings.pollSeconds, attempt: attemptNo };
    }
    await endpoint.cancel(attempt.providerJobId).catch(() => undefined); // best effort: the attempt is given up either way
    return failAttempt(
      deps,
      input,
      ctx,
      known,
      { ...attempt, state: 'EXPIRED', costUsd: charged() },
      `attempt ${attemptNo} timed out after ${settings.timeoutSeconds} s`,
    );
  }
  if (status.state !== 'SUCCEEDED') {
    // Provider-side expiry (Replicate `aborted`) and cancels before start are not billed.
    const cost = status.state === 'FAILED' ? charged(status.computeSeconds) : 0;
    return failAttempt(
      deps,
      input,
      ctx,
      known,
      { ...attempt, state: status.state, costUsd: cost },
      `attempt ${attemptNo} ${status.state.toLowerCase()}: ${status.error ?? 'no reason given'}`,
    );
  }
  // Copy the output into the asset store at once: providers delete outputs (Replicate after an hour).
  const bytes = await endpoint.fetchOutput(status);
  const outputKey = renderAttemptKey(job.renderHash, attemptNo);
  await deps.store.putBytes(outputKey, bytes, MIME.mp4);
  const reference = job.imageKey ? await deps.store.getBytes(job.imageKey) : undefined;
  const qc = await withScratch(deps, 'renders', `${job.renderHash}-a${attemptNo}`, async (dir) => {
    const clipPath = join(dir, 'clip.mp4');
    await writeFile(clipPath, bytes);
    // A clip in the model's own shape is judged by whether it can be conformed to the shot, not by exact size/length.
    return deps.media.checkShotFigures({
      clipPath,
      expected: { width: job.width, height: job.height, duration: job.duration },
      reference,
      expectMotion: job.camera !== 'static',
      conform: job.clip ? { shotSeconds: job.clip.shotSeconds } : undefined,
    });
  });
  const m = qc.metrics;
  const returned = m.width > 0 && m.height > 0 ? { width: m.width, height: m.height, fps: m.fps || job.clip?.fps || 30 } : undefined;
  // Every completed job is paid for, whatever the gate says: the cost is recorded before QC decides.
  const finished = {
    ...attempt,
    state: 'SUCCEEDED' as const,
    outputKey,
    qc,
    costUsd: charged(status.computeSeconds, returned),
    computeSeconds: status.computeSeconds,
    finishedAt: deps.now().toISOString(),
  };
  if (!qc.ok) return failAttempt(deps, input, ctx, known, finished, `attempt ${attemptNo} failed QC: ${qc.failures.join('; ')}`);
  await deps.tracker.putAttempt(finished);
  await deps.tracker.putRender({
    ...baseRecord(input, settings, known),
    schemaVersion: 1,
    renderHash: job.renderHash,
    state: 'SUCCEEDED',
    renderer: settings.kind,
    output: { kind: 'clip', key: outputKey, ...(returned && m.duration > 0 ? { media: { ...returned, duration: m.duration } } : {}) },
    attempts: attemptNo,
    currentAttempt: attemptNo,
    renderSeconds: round((deps.now().getTime() - Date.parse(known?.firstAttemptAt ?? attempt.submittedAt)) / 1000),
    videoSeconds: round((known?.videoSeconds ?? 0) + attempt.videoSeconds),
    costUsd: round((known?.costUsd ?? 0) + finished.costUsd),
  });
  return DONE(attemptNo);
}

/** A campaign budget stop: the shot renders procedurally (the ad is still published) and the record says why. */
async function budgetStop(
  deps: Deps,
  input: RenderStepInput,
  settings: RendererSettings,
  job: RenderJob,
  known: RenderResult | undefined,
  reason: string,
): Promise<RenderLoop> {
  await renderProcedural(deps, job, {
    ...baseRecord(input, settings, known),
    fallback: true,
    budgetStop: true,
    attemptErrors: [...(known?.attemptErrors ?? []), reason],
    error: `fell back to procedural: ${reason}`,
  });
  return DONE(known?.attempts ?? 0);
}

/** Records a failed attempt; the next seed is submitted while attempts remain, else the procedural fallback renders. */
async function failAttempt(
  deps: Deps,
  input: RenderStepInput,
  ctx: Context,
  known: RenderResult | undefined,
  attempt: RenderAttempt,
  reason: string,
): Promise<RenderLoop> {
  await deps.tracker.putAttempt({ ...attempt, error: reason, finishedAt: attempt.finishedAt ?? deps.now().toISOString() });
  const record = {
    ...baseRecord(input, ctx.settings, known),
    attempts: attempt.attempt,
    attemptErrors: [...(known?.attemptErrors ?? []), reason],
    videoSeconds: round((known?.videoSeconds ?? 0) + attempt.videoSeconds),
    costUsd: round((known?.costUsd ?? 0) + attempt.costUsd),
  };
  if (attempt.attempt < ctx.settings.maxAttempts) {
    await deps.tracker.putRender({
      ...record,
      schemaVersion: 1,
      renderHash: ctx.job.renderHash,
      state: 'QUEUED',
      renderer: ctx.settings.kind,
      renderSeconds: 0,
      currentAttempt: attempt.attempt + 1,
    });
    return { state: 'RESUBMIT', waitSeconds: ctx.settings.pollSeconds, attempt: attempt.attempt + 1 };
  }
  await renderProcedural(deps, ctx.job, { ...record, fallback: true, error: `fell back to procedural after ${attempt.attempt} attempts: ${reason}` });
  return DONE(attempt.attempt);
}

/** The guaranteed fallback, reached when the endpoint keeps failing (retries exhausted, or it refused the request). */
export async function fallbackRender(deps: Deps, input: RenderStepInput): Promise<RenderLoop> {
  const reused = await reusableRender(deps, input.renderHash);
  if (reused) return DONE(reused.attempts);
  const { settings, job } = await context(deps, input);
  const known = await deps.tracker.getRender(input.renderHash);
  const reason = input.renderError ? `${input.renderError.Error}: ${input.renderError.Cause ?? ''}`.slice(0, 500) : 'endpoint unavailable';
  await renderProcedural(deps, job, {
    ...baseRecord(input, settings, known),
    fallback: true,
    attemptErrors: [...(known?.attemptErrors ?? []), reason],
    error: `fell back to procedural: ${reason}`,
  });
  return DONE(known?.attempts ?? 0);
}

const round = (n: number) => Math.round(n * 1000) / 1000;

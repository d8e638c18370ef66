import { rendererProfile } from '#domain/model/campaign';
import type { RenderJob } from '#domain/model/render-job';
import type { StoryboardShot } from '#domain/model/storyboard';
import { clipRequestFor, promptFor } from '#domain/render/clip-plan';
import { seedFrom } from '#domain/hash';
import { layoutArea } from '#domain/planning/photo-layout';
import { imageFor, seedOf } from './generation.ts';
import { copyFor } from './overlay-copy.ts';
import { layoutVideoShot } from './overlay-layout.ts';
import type { PlanInput, PlannedVariant } from './plan-input.ts';
import { CROP_NOTE, familyShotSeconds, PORTRAIT_MASTER, renderFamilyOf, renderHashOf } from './render-jobs.ts';
import { round3, timedShots } from './shot-timing.ts';
import { finishStoryboard, storyboardHeader } from './storyboard-header.ts';

/** Plans a video storyboard: timed shots with their render jobs (shared across a family), overlays timed to their shots. */
export function planVideo({ product, campaign, template, channel, generation = 0, toolchain, reseed }: PlanInput): PlannedVariant {
  const shots = timedShots(template, channel);
  const background: [string, string] = [campaign.brand.colors.primary, campaign.brand.colors.secondary];
  const templateKey = `${template.id}@${template.version}`;
  const generative = campaign.renderer.kind !== 'procedural';
  const family = renderFamilyOf(channel, generative);
  const renderSeconds = generative ? familyShotSeconds(template, channel) : undefined;
  // The portrait clip is shared with the 4:5, 1:1 and 2:3 placements, which crop it: ask for room around the product.
  const cropNote = generative && family === PORTRAIT_MASTER ? CROP_NOTE : '';

  const jobs: RenderJob[] = [];
  const storyShots: StoryboardShot[] = shots.map(({ templateIndex, shot, start, length, fade }, index) => {
    const take = reseed?.[index] ?? 0;
    const base = seedOf(generation, product.sku, templateKey, family.id, templateIndex, 0);
    const seed = take > 0 ? seedFrom(base, 'take', take) : base;
    const imageKey = imageFor(product, shot.subject.image + (generative ? 0 : take), generation);
    // A procedural plate is a still: only the photo, crop, size and colours make it, so shots (and
    // templates) that show the same photo share one plate. Generative shots carry the move, length, seed and prompt.
    const request = {
      schemaVersion: 1 as const,
      family: family.id,
      width: family.renderWidth,
      height: family.renderHeight,
      duration: generative ? renderSeconds!.get(templateIndex)! : 1,
      camera: generative ? shot.camera : ('static' as const),
      imageKey,
      focus: shot.subject.focus,
      background,
      seed: generative ? seed : 0,
      prompt: generative ? promptFor({ product, campaign, shot, pattern: template.prompt, cropNote, profile: rendererProfile(campaign.renderer) }) : '',
      negativePrompt: generative ? template.negativePrompt : '',
      ...(generative
        ? { clip: clipRequestFor(campaign, { seconds: renderSeconds!.get(templateIndex)!, width: family.renderWidth, height: family.renderHeight }) }
        : {}),
      // A procedural plate is laid out by photo class inside the family's clear area; detail shots crop closer.
      ...(generative ? {} : { area: layoutArea(channel), ...(shot.role === 'detail' ? { detail: true } : {}) }),
    };
    // The model is part of the hash (absent for procedural, so those hashes are unchanged): a new model is a new render.
    // So is the toolchain for procedural plates; a paid endpoint's render does not change with the local ffmpeg.
    const renderHash = renderHashOf(request, campaign.renderer.kind, campaign.renderer.model, generative ? undefined : toolchain);
    if (!jobs.some((job) => job.renderHash === renderHash)) jobs.push({ ...request, renderHash });
    return {
      index,
      role: shot.role,
      start: round3(start / channel.fps),
      duration: round3(length / channel.fps),
      fadeIn: round3(fade / channel.fps),
      // The frames themselves: the assembler encodes these, so nothing is rounded back from seconds.
      startFrame: start,
      frames: length,
      fadeFrames: fade,
      ...(fade > 0 && shot.transition !== 'fade' && shot.transition !== 'cut' ? { transition: shot.transition } : {}),
      camera: shot.camera,
      renderHash,
      seed,
    };
  });

  const copy = copyFor(product, campaign);
  let featureOffset = 0;
  const overlays = shots.flatMap(({ shot }, index) => {
    const s = storyShots[index];
    const start = round3(s.start + Math.min(s.fadeIn, s.duration / 2));
    const end = round3(s.start + s.duration);
    const placed = layoutVideoShot(shot.overlays, copy, channel, campaign, featureOffset);
    featureOffset += shot.overlays.filter((slot) => slot === 'feature').length;
    return placed.map((o) => ({ ...o, start, end }));
  });
  const last = storyShots.at(-1)!;
  return {
    storyboard: finishStoryboard({
      ...storyboardHeader(product, campaign, template, channel, generation, 'video'),
      duration: round3(last.start + last.duration),
      frames: last.startFrame + last.frames,
      shots: storyShots,
      overlays,
    }),
    jobs,
  };
}

import type { ClipRequest, ModelProfile } from '#domain/render/model-profile';
import { findProfile } from '#domain/render/models/index';
import type { RenderJob } from '#domain/model/render-job';
import { RenderConfigError } from '#ports/render-errors';
import { MIME } from '#domain/model/content-types';

/** The prepared product photo a request carries. */
export interface PreparedImage {
  bytes: Buffer;
  contentType: string;
}

/** The profile a job was planned for; a job planned before profiles existed gets the renderer kind's default. */
export function profileOfJob(job: RenderJob, fallbackId: string): ModelProfile {
  const id = job.clip?.profile ?? fallbackId;
  const profile = findProfile(id);
  if (!profile)
    throw new RenderConfigError(`The render job ${job.renderHash} names the model profile "${id}", which adline does not know: re-plan the campaign.`);
  return profile;
}

/** Sets `value` at a dotted path ("videoGenerationConfig.seed") in `target`. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys.at(-1)!] = value;
}

/** The image as the model takes it: a data: URL, bare base64, Nova's images list, or a Luma keyframe. */
function imageValue(profile: ModelProfile, image: PreparedImage): unknown {
  const b64 = image.bytes.toString('base64');
  const url = `data:${image.contentType};base64,${b64}`;
  switch (profile.image.transport) {
    case 'data-url':
      return url;
    case 'base64':
      return b64;
    case 'nova-images':
      return [{ format: image.contentType === MIME.png ? 'png' : 'jpeg', source: { bytes: b64 } }];
    case 'luma-keyframe':
      return { type: 'image', url };
  }
}

/** The length value as the model writes it ("5", 5, "5s", or a frame count). */
function lengthValue(profile: ModelProfile, clip: ClipRequest): unknown {
  const rule = profile.request.length;
  if (rule.kind === 'frames') return clip.frames;
  if (rule.kind === 'as-asked') return clip.seconds;
  return rule.as === 'string' ? String(clip.seconds) : rule.as === 'seconds-suffix' ? `${clip.seconds}s` : clip.seconds;
}

/**
 * The model's input object, built from the profile: only the fields the model takes, named as it names
 * them, with the values the planner chose for this job. Same job, seed and image: same bytes.
 */
export function buildModelInput(profile: ModelProfile, job: RenderJob, seed: number, image?: PreparedImage): Record<string, unknown> {
  const clip = job.clip;
  if (!clip) throw new RenderConfigError(`The render job ${job.renderHash} has no clip request: re-plan it with a generative renderer.`);
  const f = profile.request.fields;
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(profile.request.constants)) setPath(input, key, value);
  setPath(input, f.prompt, job.prompt.slice(0, profile.request.promptMaxChars));
  if (image) setPath(input, f.image, imageValue(profile, image));
  if (f.length) setPath(input, f.length, lengthValue(profile, clip));
  if (f.fps) setPath(input, f.fps, profile.request.length.kind === 'frames' ? clip.fps : (profile.output.fps ?? clip.fps));
  if (f.resolution && clip.resolution) setPath(input, f.resolution, clip.resolution);
  if (f.aspectRatio && clip.aspectRatio) setPath(input, f.aspectRatio, clip.aspectRatio);
  if (f.negativePrompt && job.negativePrompt) setPath(input, f.negativePrompt, job.negativePrompt);
  if (f.seed) setPath(input, f.seed, seed % (profile.request.seedMax + 1));
  return input;
}

import { z } from 'zod';
import { ClipSettings, clipSettingsProblems } from '#domain/render/model-profile';
import { DEFAULT_PROFILE, findProfile, MODEL_PROFILES } from '#domain/render/models/index';

/** Which render endpoint a campaign uses (shared/render/ has one adapter per kind). */
export const RendererKind = z.enum(['procedural', 'http', 'replicate', 'fal', 'bedrock', 'sagemaker']);
export type RendererKind = z.infer<typeof RendererKind>;

/** Render endpoint settings: polling, limits and budget; generative kinds need an endpoint. */
export const RendererSettings = z
  .object({
    kind: RendererKind.default('procedural'),
    /** Base URL of the endpoint (http, replicate, fal) or the AWS endpoint override (bedrock, sagemaker). */
    endpoint: z.string().url().optional(),
    /** Model id (Replicate version or owner/name, fal model id, Bedrock model id, SageMaker endpoint name). */
    model: z.string().min(1).optional(),
    /** Seconds between status polls. */
    pollSeconds: z.number().int().min(1).max(3600).default(10),
    /** An attempt still unfinished after this long is canceled and counts as failed (EXPIRED). */
    timeoutSeconds: z.number().int().min(1).max(86_400).default(1800),
    /** Attempts (seeds) per shot before the procedural fallback. */
    maxAttempts: z.number().int().min(1).max(10).default(3),
    /** Shots of one product rendered at once on this endpoint. */
    concurrency: z.number().int().min(1).max(64).default(2),
    /** Most a run may spend on this endpoint, in USD; a submit that would pass it stops with RenderBudgetExceededError. */
    budgetUsd: z.number().nonnegative().optional(),
    /** The model profile (shared/domain/render/models/) by id; default: the kind's default profile. */
    profile: z.string().min(1).optional(),
    /** Clip settings checked against the profile when the campaign is loaded (e.g. seconds must be one the model allows). */
    clip: ClipSettings.optional(),
    /** Most this campaign may spend on provider jobs per UTC day / calendar month, across all its runs; a shot past it renders procedurally. */
    dailyBudgetUsd: z.number().nonnegative().optional(),
    monthlyBudgetUsd: z.number().nonnegative().optional(),
  })
  .superRefine((r, ctx) => {
    if (r.kind === 'procedural') return;
    const id = r.profile ?? DEFAULT_PROFILE[r.kind];
    const profile = findProfile(id);
    if (!profile) {
      ctx.addIssue({
        code: 'custom',
        path: ['profile'],
        message: `unknown model profile "${id}": use one of ${MODEL_PROFILES.filter((p) => p.provider === r.kind)
          .map((p) => p.id)
          .join(', ')}`,
      });
      return;
    }
    if (profile.provider !== r.kind)
      ctx.addIssue({
        code: 'custom',
        path: ['profile'],
        message: `profile "${id}" is for the ${profile.provider} renderer, not ${r.kind}: set renderer.kind to "${profile.provider}"`,
      });
    for (const message of clipSettingsProblems(profile, r.clip)) ctx.addIssue({ code: 'custom', path: ['clip'], message });
  })
  .refine((r) => r.kind === 'procedural' || r.endpoint !== undefined || r.kind === 'bedrock' || r.kind === 'sagemaker', {
    message: 'a generative renderer needs an endpoint URL',
    path: ['endpoint'],
  });
export type RendererSettings = z.infer<typeof RendererSettings>;

const HexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #1a2b3c');

export const Campaign = z.object({
  schemaVersion: z.literal(1),
  id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'lower-case letters, digits and dashes'),
  name: z.string().min(1),
  brand: z.object({
    name: z.string().min(1),
    colors: z.object({ primary: HexColor, secondary: HexColor, text: HexColor, accent: HexColor }),
    /** Asset key of the brand logo (PNG/JPEG), shown on the end card; absent or missing in the store: no logo. */
    logo: z.string().optional(),
    /** Asset key of the brand's own font (TTF/OTF, ideally bold), drawn before the shipped fonts; absent: Inter and the Noto fonts. */
    font: z.string().optional(),
  }),
  /** Asset key of background music (MP3, M4A, WAV, OGG), trimmed to each ad, faded and normalized to about -16 LUFS; absent: silent AAC. */
  music: z.string().optional(),
  templates: z.array(z.string()).min(1),
  channels: z.array(z.string()).min(1),
  locale: z.string().default('en-US'),
  cta: z.string().min(1).max(40).default('Shop now'),
  renderer: RendererSettings.default(RendererSettings.parse({})),
  refresh: z.object({ cron: z.string(), maxAgeDays: z.number().positive() }).optional(),
  /** Review before delivery: with `autoApprove`, every rendered ad is approved at publish (no reviewer needed). */
  review: z.object({ autoApprove: z.boolean().default(false) }).optional(),
});
export type Campaign = z.infer<typeof Campaign>;

/** The model profile a campaign's generative renderer uses (procedural: none). */
export function rendererProfile(settings: RendererSettings) {
  return settings.kind === 'procedural' ? undefined : findProfile(settings.profile ?? DEFAULT_PROFILE[settings.kind]);
}

import { z } from 'zod';
import { CutoutError } from '#ports/cutout';
import type { CutoutProvider } from '#ports/cutout';
import { FalCutout } from './fal-cutout.ts';
import { ImglyCutout } from './imgly-cutout.ts';

const CutoutEnv = z.object({
  ADLINE_CUTOUT: z.enum(['fal', 'imgly']).optional(),
  ADLINE_CUTOUT_MODEL: z.string().default('fal-ai/birefnet/v2'),
  ADLINE_CUTOUT_ENDPOINT: z.string().url().default('https://queue.fal.run'),
  ADLINE_CUTOUT_PRICE_USD: z.coerce.number().nonnegative().default(0),
  FAL_KEY: z.string().optional(),
});

/** The cut-out adapter the environment asks for (ADLINE_CUTOUT=fal|imgly); none when unset. */
export function makeCutoutProvider(env: Record<string, string | undefined>): CutoutProvider | undefined {
  const parsed = CutoutEnv.safeParse(env);
  if (!parsed.success)
    throw new CutoutError(
      `Cut-out settings are invalid (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}): ADLINE_CUTOUT is fal or imgly.`,
    );
  const e = parsed.data;
  if (e.ADLINE_CUTOUT === 'imgly') return new ImglyCutout();
  if (e.ADLINE_CUTOUT !== 'fal') return undefined;
  if (!e.FAL_KEY) throw new CutoutError('ADLINE_CUTOUT=fal needs FAL_KEY in the environment.');
  return new FalCutout({
    endpoint: e.ADLINE_CUTOUT_ENDPOINT,
    model: e.ADLINE_CUTOUT_MODEL,
    key: e.FAL_KEY,
    timeoutMs: 30_000,
    pollMs: 1000,
    priceUsd: e.ADLINE_CUTOUT_PRICE_USD,
  });
}

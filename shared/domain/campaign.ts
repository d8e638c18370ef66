import { z } from 'zod';

const HexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #1a2b3c');

export const Campaign = z.object({
  schemaVersion: z.literal(1),
  id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'lower-case letters, digits and dashes'),
  name: z.string().min(1),
  brand: z.object({
    name: z.string().min(1),
    colors: z.object({ primary: HexColor, secondary: HexColor, text: HexColor, accent: HexColor }),
    logo: z.string().optional(),
  }),
  templates: z.array(z.string()).min(1),
  channels: z.array(z.string()).min(1),
  locale: z.string().default('en-US'),
  cta: z.string().min(1).max(40).default('Shop now'),
  renderer: z.object({
    kind: z.enum(['procedural', 'http']).default('procedural'),
    endpoint: z.string().url().optional(),
    maxAttempts: z.number().int().min(1).max(10).default(3),
    concurrency: z.number().int().min(1).max(64).default(2),
  }).default({ kind: 'procedural', maxAttempts: 3, concurrency: 2 }),
  refresh: z.object({ cron: z.string(), maxAgeDays: z.number().positive() }).optional(),
});
export type Campaign = z.infer<typeof Campaign>;

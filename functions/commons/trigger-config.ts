import { z } from 'zod';
import { ConfigError } from './config.ts';

/** What the trigger functions read from their environment (the triggers construct sets these with the grants). */
export const TriggerConfig = z.object({
  TABLE_NAME: z.string().min(1),
  ASSETS_BUCKET: z.string().min(1),
  STATE_MACHINE_ARN: z.string().startsWith('arn:'),
  /** Upload ingestion only: the Distributed Map that fans large catalogs out into runs. */
  FANOUT_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
  /** Webhook functions: the Secrets Manager secret holding the app secret(s), "new,old" during a rotation. */
  SHOPIFY_SECRET_ARN: z.string().startsWith('arn:').optional(),
  /** Webhook functions: comma-separated campaign keys a product change renders for. */
  CAMPAIGN_KEYS: z.string().default('campaigns/spring-launch.json'),
  /** Webhook functions: the comma-separated *.myshopify.com shops accepted; absent: any. */
  SHOPIFY_SHOPS: z.string().optional(),
  SHOP_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('USD'),
  AWS_REGION: z.string().min(1).optional(),
});
export type TriggerConfig = z.infer<typeof TriggerConfig>;

/** Reads and validates the trigger environment once, at cold start, naming every bad variable. */
export function loadTriggerConfig(env: Record<string, string | undefined> = process.env): TriggerConfig {
  const parsed = TriggerConfig.safeParse(env);
  if (parsed.success) return parsed.data;
  const variables = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? '?')))];
  throw new ConfigError(variables, variables.map((name) => (env[name] ? `${name} is invalid` : `${name} is not set`)).join('; '), { cause: parsed.error });
}

import { z } from 'zod';

/** What every AWS handler reads from its environment; the CDK constructs set these together with the grants. */
export const AwsConfig = z.object({
  TABLE_NAME: z.string().min(1),
  ASSETS_BUCKET: z.string().min(1),
  AWS_REGION: z.string().min(1).optional(),
});
export type AwsConfig = z.infer<typeof AwsConfig>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly variables: string[],
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`Invalid environment: ${detail}. Set ${variables.join(', ')} on the function (the CDK construct normally does).`, options);
  }
}

/** Reads and validates the environment once, at cold start, naming every missing or bad variable. */
export function loadAwsConfig(env: Record<string, string | undefined> = process.env): AwsConfig {
  const parsed = AwsConfig.safeParse(env);
  if (parsed.success) return parsed.data;
  const variables = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? '?')))];
  const detail = variables.map((name) => (env[name] === undefined || env[name] === '' ? `${name} is not set` : `${name} is invalid`)).join('; ');
  throw new ConfigError(variables, detail, { cause: parsed.error });
}

import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { registerSecret } from './logger.ts';

/**
 * The environment variables shared/adapters/render/render-client-factory.ts reads a provider key from. In Lambda each
 * may instead be named by `<NAME>_SECRET_ARN` (set by the stack for each enabled provider): the key is
 * then read from Secrets Manager, once per container, and never placed in the function's configuration.
 */
export const RENDER_KEY_VARIABLES = ['FAL_KEY', 'REPLICATE_API_TOKEN', 'ADLINE_RENDER_TOKEN'] as const;

export class RenderSecretError extends Error {
  override readonly name = 'RenderSecretError';
  readonly code = 'RENDER_SECRET';
}

/** The environment the render client factory gets: the process's, plus each provider key read from its secret. */
export async function renderEnvironment(
  env: Record<string, string | undefined>,
  secrets: () => SecretsManagerClient,
): Promise<Record<string, string | undefined>> {
  const out = { ...env };
  for (const name of RENDER_KEY_VARIABLES) {
    const arn = env[`${name}_SECRET_ARN`];
    if (!arn) continue;
    const value = (await secrets().send(new GetSecretValueCommand({ SecretId: arn }))).SecretString?.trim();
    if (!value)
      throw new RenderSecretError(
        `The secret ${arn} (${name}) is empty: put the provider's key in it (aws secretsmanager put-secret-value --secret-id ${arn} --secret-string <key>).`,
      );
    registerSecret(value);
    out[name] = value;
  }
  return out;
}

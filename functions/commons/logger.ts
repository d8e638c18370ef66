import { Logger } from '@aws-lambda-powertools/logger';

/** The service name on every log line and metric. */
export const SERVICE_NAME = 'adline';

/** Keys whose values are never logged, at any depth: secrets, signatures, tokens, credentials. */
const SECRET_KEY = /secret|signature|hmac|passw(or)?d|token|authorization|api[-_]?key|credential|cookie/i;
/** Environment variables whose values are secrets; their values are masked wherever they appear. */
const SECRET_ENV = /SECRET|TOKEN|PASSWORD|API_KEY|CREDENTIAL|PRIVATE_KEY/i;
/** A base64 SHA-256 digest (what Shopify sends in X-Shopify-Hmac-Sha256): a signature, never worth logging. */
const BASE64_DIGEST = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{43}=(?![A-Za-z0-9+/=])/g;
export const REDACTED = '[REDACTED]';

const secretValues = new Set<string>();

/** Registers a secret's value (a webhook key, a provider token) so it is masked wherever it would appear in a log line. */
export function registerSecret(value: string | undefined): void {
  // Very short values would mask ordinary words; no real secret is that short.
  if (value && value.length >= 8) secretValues.add(value);
}

/** Masks registered secrets and signature-shaped strings inside a text. */
export function scrubText(text: string): string {
  let out = text;
  for (const secret of secretValues) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out.replace(BASE64_DIGEST, REDACTED);
}

/** JSON replacer for every log line: values under secret-looking keys are dropped, strings are scrubbed. */
export function redactLogValue(key: string, value: unknown): unknown {
  if (key && SECRET_KEY.test(key) && value !== undefined && value !== null && value !== '') return REDACTED;
  if (typeof value === 'string') return scrubText(value);
  return value;
}

/** Registers the secret-looking variables of an environment (Lambda's AWS_SECRET_ACCESS_KEY and session token included). */
export function registerSecretsFromEnv(env: Record<string, string | undefined> = process.env): void {
  for (const [name, value] of Object.entries(env)) if (SECRET_ENV.test(name)) registerSecret(value);
}

/**
 * In Lambda the level comes from the function's log settings (INFO by default); elsewhere (the local
 * CLI) logs are off unless POWERTOOLS_LOG_LEVEL asks, so JSON lines never mix with the CLI's table.
 */
function defaultLevel(env: Record<string, string | undefined>): string {
  return env.POWERTOOLS_LOG_LEVEL ?? env.AWS_LAMBDA_LOG_LEVEL ?? (env.AWS_LAMBDA_FUNCTION_NAME ? 'INFO' : 'SILENT');
}

registerSecretsFromEnv();

/** adline's one Powertools logger: structured JSON, with every value passed through the redactor. */
export const logger = new Logger({
  serviceName: SERVICE_NAME,
  logLevel: defaultLevel(process.env) as 'INFO',
  jsonReplacerFn: redactLogValue,
});

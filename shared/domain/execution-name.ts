import { sha256 } from '#domain/hash';

/** Step Functions allows 80 characters; only these keep names safe for CloudWatch and IAM conditions. */
const MAX_LENGTH = 80;
const UNSAFE = /[^A-Za-z0-9_-]/g;
const HASH_LENGTH = 12;

/**
 * A deterministic Step Functions execution name from stable parts (campaign, run id...).
 * Names that are already valid pass through unchanged; any name that had to be altered (unsafe
 * characters replaced, or truncated) gets a hash of the original parts appended, so two different
 * inputs never collapse onto the same name — that would silently turn a new run into a "duplicate".
 */
export function executionName(parts: string[]): string {
  const joined = parts.join('-');
  const safe = joined.replace(UNSAFE, '_');
  if (safe.length > 0 && safe === joined && safe.length <= MAX_LENGTH) return safe;
  const suffix = sha256(parts.join('\u001f')).slice(0, HASH_LENGTH);
  const head = safe.slice(0, MAX_LENGTH - HASH_LENGTH - 1);
  return head ? `${head}-${suffix}` : suffix;
}

/**
 * JSON.parse that never rounds an integer: integer literals beyond Number.MAX_SAFE_INTEGER become
 * strings before parsing. A reviver cannot do this (it sees the already-rounded number), and Node 20's
 * JSON.parse has no source-text access, so the raw text is rewritten token by token instead.
 */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  readonly code = 'JSON_SYNTAX';
}

const DIGITS = /^-?\d+$/;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Parses JSON text, turning every unsafe integer (|n| > 2^53 - 1) into its exact decimal string. */
export function parseJsonLossless(text: string): unknown {
  let out = '';
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i += 1;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c /* \ */ ? 2 : 1;
      i += 1;
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i += 1;
      while (i < text.length && /[0-9eE.+-]/.test(text[i])) i += 1;
      const token = text.slice(start, i);
      if (DIGITS.test(token) && token.replace('-', '').length >= 16 && abs(BigInt(token)) > MAX_SAFE) {
        out += `${text.slice(last, start)}"${token}"`;
        last = i;
      }
    } else {
      i += 1;
    }
  }
  try {
    return JSON.parse(out + text.slice(last));
  } catch (error) {
    throw new JsonSyntaxError(`Body is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

const abs = (n: bigint) => (n < 0n ? -n : n);

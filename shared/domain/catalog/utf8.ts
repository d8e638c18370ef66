export class TextEncodingError extends Error {
  override readonly name = 'TextEncodingError';
  readonly code = 'TEXT_ENCODING';
}

const strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes an uploaded text file as UTF-8, refusing invalid bytes instead of turning them into U+FFFD
 * (which would publish ads with garbled titles). A leading BOM is dropped.
 */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return strict.decode(bytes);
  } catch {
    const offset = firstInvalidByte(bytes);
    throw new TextEncodingError(`${what} is not valid UTF-8 (first bad byte at offset ${offset}): save it as UTF-8, e.g. "CSV UTF-8" in Excel.`);
  }
}

/** The offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >> 5 === 0b110 ? 2 : b >> 4 === 0b1110 ? 3 : b >> 3 === 0b11110 ? 4 : 0;
    if (length === 0) return i;
    try {
      strict.decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return -1;
}

import { readFile } from 'node:fs/promises';
import { MediaError } from './media-error.ts';

/** The campaign's font file is not a TrueType/OpenType font this renderer can use. */
export class BrandFontError extends MediaError {
  override readonly name = 'BrandFontError';
  override readonly code = 'BRAND_FONT_INVALID';
}

/** A campaign's own font: the family name Pango matches, and the file that registers it. */
export interface BrandFont {
  family: string;
  path: string;
}

const SFNT = new Set([0x00010000, 0x4f54544f /* OTTO */, 0x74727565 /* true */]);

/** Decodes a `name` table string: UTF-16BE for Windows/Unicode platforms, Latin-1 for Mac Roman. */
function nameString(bytes: Buffer, platform: number): string {
  if (platform === 0 || platform === 3) {
    let out = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode(bytes.readUInt16BE(i));
    return out;
  }
  return bytes.toString('latin1');
}

/**
 * The family name inside a TTF/OTF (name ID 16, typographic family, else ID 1), read from the `name`
 * table: what Pango's font description must say to pick the file sharp registers.
 */
export function fontFamilyOf(bytes: Buffer, label: string): string {
  const fail = (why: string): never => {
    throw new BrandFontError(`The campaign font ${label} ${why}: use a TrueType (.ttf) or OpenType (.otf) file, e.g. the bold weight from Google Fonts.`);
  };
  if (bytes.length < 12 || !SFNT.has(bytes.readUInt32BE(0))) fail('is not a TrueType/OpenType font (a WOFF, WOFF2 or collection is not accepted)');
  const tables = bytes.readUInt16BE(4);
  let name: { offset: number; length: number } | undefined;
  for (let i = 0; i < tables; i++) {
    const rec = 12 + i * 16;
    if (rec + 16 > bytes.length) fail('is truncated');
    if (bytes.toString('latin1', rec, rec + 4) === 'name') name = { offset: bytes.readUInt32BE(rec + 8), length: bytes.readUInt32BE(rec + 12) };
  }
  if (!name || name.offset + name.length > bytes.length) return fail('has no name table');
  const base = name.offset;
  const count = bytes.readUInt16BE(base + 2);
  const strings = base + bytes.readUInt16BE(base + 4);
  const found = new Map<number, string>();
  for (let i = 0; i < count; i++) {
    const rec = base + 6 + i * 12;
    if (rec + 12 > bytes.length) break;
    const platform = bytes.readUInt16BE(rec);
    const language = bytes.readUInt16BE(rec + 4);
    const id = bytes.readUInt16BE(rec + 6);
    const length = bytes.readUInt16BE(rec + 8);
    const offset = strings + bytes.readUInt16BE(rec + 10);
    if ((id !== 1 && id !== 16) || offset + length > bytes.length) continue;
    // Prefer English (Windows 0x409, Mac 0) names; keep the first seen otherwise.
    const english = (platform === 3 && language === 0x409) || (platform === 1 && language === 0);
    if (!found.has(id) || english) found.set(id, nameString(bytes.subarray(offset, offset + length), platform));
  }
  const family = (found.get(16) ?? found.get(1) ?? '').replace(/[,\\"]/g, '').trim();
  if (!family) fail('names no font family');
  return family;
}

/** Reads and checks a campaign's font file; the assembler passes it to every text overlay. */
export async function loadBrandFont(path: string): Promise<BrandFont> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new BrandFontError(`The campaign font ${path} cannot be read (${(error as Error).message}): check brand.font in the campaign.`, { cause: error });
  }
  return { family: fontFamilyOf(bytes, path), path };
}

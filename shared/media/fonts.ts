import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { MediaError } from './media-error.ts';

/** A bundled font file is missing. */
export class FontMissingError extends MediaError {
  override readonly name = 'FontMissingError';
  override readonly code = 'FONT_MISSING';
}

/** Finds an installed @expo-google-fonts package folder whether or not its package.json is exported. */
function packageDir(name: string): string {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    // An "exports" map may hide package.json; the main entry sits at the package root.
    return dirname(require.resolve(name));
  }
}

export type FontWeight = 'regular' | 'bold';

export interface FontFamilyFiles {
  /** The family name inside the TTF (what Pango's font description matches). */
  family: string;
  /** The npm package that ships the TTFs; the media Lambda layer copies the same files. */
  package: string;
  /** Scripts the family covers, for picking a font per overlay text. */
  covers: readonly string[];
  files: Record<FontWeight, string>;
}

function family(pkg: string, name: string, fileStem: string, covers: readonly string[]): FontFamilyFiles {
  const dir = packageDir(pkg);
  return {
    family: name,
    package: pkg,
    covers,
    files: {
      regular: join(dir, '400Regular', `${fileStem}_400Regular.ttf`),
      bold: join(dir, '700Bold', `${fileStem}_700Bold.ttf`),
    },
  };
}

/**
 * The TTFs shipped through npm, by font id: rendering never depends on the machine's system fonts.
 * Inter draws Latin copy; Noto Sans JP adds kana, kanji and most CJK ideographs (and Latin, so a
 * Japanese headline keeps one look). Only the 400 and 700 weights are used (and shipped in the layer).
 */
export const FONTS = {
  inter: family('@expo-google-fonts/inter', 'Inter', 'Inter', ['latin', 'latin-ext', 'greek', 'cyrillic']),
  'noto-sans-jp': family('@expo-google-fonts/noto-sans-jp', 'Noto Sans JP', 'NotoSansJP', ['latin', 'cjk', 'kana']),
} as const satisfies Record<string, FontFamilyFiles>;

export type FontId = keyof typeof FONTS;
export const FONT_IDS = Object.keys(FONTS) as FontId[];
export const DEFAULT_FONT: FontId = 'inter';

/** Resolves an overlay's optional font (an id like `noto-sans-jp` or a family name) to a known font id; unknown or absent → Inter. */
export function resolveFont(font: string | undefined): FontId {
  if (!font) return DEFAULT_FONT;
  const wanted = font.trim().toLowerCase();
  const hit = FONT_IDS.find((id) => id === wanted || FONTS[id].family.toLowerCase() === wanted || id === wanted.replace(/\s+/g, '-'));
  return hit ?? DEFAULT_FONT;
}

/**
 * A Pango font description with the chosen family first and every other shipped family as fallback,
 * so a glyph the first font lacks (CJK in Inter) comes from the next one instead of tofu.
 */
export function fontDescription(font: FontId, weight: FontWeight, sizePx: number): string {
  const families = [font, ...FONT_IDS.filter((id) => id !== font)].map((id) => FONTS[id].family);
  return `${families.join(', ')}${weight === 'bold' ? ' Bold' : ''} ${sizePx}`;
}

/** Throws a fixable message when a font file went missing (a pruned node_modules, a bad bundle). */
export function assertFontsPresent(): void {
  for (const id of FONT_IDS) {
    for (const [weight, path] of Object.entries(FONTS[id].files)) {
      if (!existsSync(path)) {
        throw new FontMissingError(`The ${weight} ${FONTS[id].family} font is missing at ${path}: run npm install (package ${FONTS[id].package}) or include it in the bundle.`);
      }
    }
  }
}

let registered: Promise<void> | undefined;

/**
 * Registers every shipped TTF with fontconfig once per process. sharp's `text.fontfile` adds a file
 * to the process-wide font set, so after one tiny render per file a fallback list of families works.
 */
export function registerFonts(): Promise<void> {
  registered ??= (async () => {
    assertFontsPresent();
    for (const id of FONT_IDS) {
      for (const path of Object.values(FONTS[id].files)) {
        await sharp({ text: { text: '.', font: `${FONTS[id].family} 8`, fontfile: path, dpi: 72 } }).raw().toBuffer();
      }
    }
  })();
  registered.catch(() => {
    registered = undefined;
  });
  return registered;
}

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

/** The root folder of an installed package, whether or not its "exports" map lists package.json. */
function packageDir(name: string): string {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    // An "exports" map may hide package.json: walk up from the main entry to the folder that holds it.
    let dir = dirname(require.resolve(name));
    while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
    return dir;
  }
}

/** Overlays are drawn bold only; the regular weight is neither loaded nor shipped in the media layer. */
export type FontWeight = 'bold';

export interface FontFamilyFiles {
  /** The family name inside the TTF (what Pango's font description matches). */
  family: string;
  /** The npm package that ships the TTFs; the media Lambda layer copies the same files. */
  package: string;
  /** Scripts (shared/domain/planning/scripts.ts ids) the family is chosen for. */
  covers: readonly string[];
  files: Record<FontWeight, string>;
}

function family(pkg: string, name: string, fileStem: string, covers: readonly string[]): FontFamilyFiles {
  return { family: name, package: pkg, covers, files: { bold: join(packageDir(pkg), '700Bold', `${fileStem}_700Bold.ttf`) } };
}

/**
 * The TTFs shipped through npm, by font id, in fallback order: rendering never depends on the machine's
 * system fonts. Inter draws Latin, Greek and Cyrillic; Noto Sans fills the Latin/Greek/Cyrillic glyphs
 * Inter lacks; one Noto family per other script. Han ideographs differ in shape between Japanese,
 * Korean, Simplified and Traditional Chinese, so the text's language picks among the four CJK fonts.
 * Only the bold weight is used (and shipped in the layer). The order is the domain's FONT_ORDER too.
 */
export const FONTS = {
  inter: family('@expo-google-fonts/inter', 'Inter', 'Inter', ['latin', 'greek', 'cyrillic']),
  'noto-sans': family('@expo-google-fonts/noto-sans', 'Noto Sans', 'NotoSans', ['latin', 'greek', 'cyrillic']),
  'noto-sans-jp': family('@expo-google-fonts/noto-sans-jp', 'Noto Sans JP', 'NotoSansJP', ['han', 'kana']),
  'noto-sans-kr': family('@expo-google-fonts/noto-sans-kr', 'Noto Sans KR', 'NotoSansKR', ['hangul', 'han']),
  'noto-sans-sc': family('@expo-google-fonts/noto-sans-sc', 'Noto Sans SC', 'NotoSansSC', ['han']),
  'noto-sans-tc': family('@expo-google-fonts/noto-sans-tc', 'Noto Sans TC', 'NotoSansTC', ['han']),
  'noto-sans-arabic': family('@expo-google-fonts/noto-sans-arabic', 'Noto Sans Arabic', 'NotoSansArabic', ['arabic']),
  'noto-sans-hebrew': {
    family: 'Noto Sans Hebrew',
    package: '@embedpdf/fonts-hebrew',
    covers: ['hebrew'],
    files: { bold: join(packageDir('@embedpdf/fonts-hebrew'), 'fonts', 'NotoSansHebrew-Bold.ttf') },
  },
  'noto-sans-devanagari': family('@expo-google-fonts/noto-sans-devanagari', 'Noto Sans Devanagari', 'NotoSansDevanagari', ['devanagari']),
  'noto-sans-thai': family('@expo-google-fonts/noto-sans-thai', 'Noto Sans Thai', 'NotoSansThai', ['thai']),
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
 * A Pango font description with the chosen family first and every other shipped family as fallback, in
 * FONT_IDS order (the order the planner measured with), so a glyph the first font lacks comes from the next
 * one instead of tofu. `extraFamily` (a campaign's own font) goes before everything.
 */
export function fontDescription(font: FontId, weight: FontWeight, sizePx: number, extraFamily?: string): string {
  const families = [font, ...FONT_IDS.filter((id) => id !== font)].map((id) => FONTS[id].family);
  return `${[...(extraFamily ? [extraFamily] : []), ...families].join(', ')}${weight === 'bold' ? ' Bold' : ''} ${sizePx}`;
}

/** Throws a fixable message when a font file went missing (a pruned node_modules, a bad bundle). */
export function assertFontsPresent(): void {
  for (const id of FONT_IDS) {
    for (const [weight, path] of Object.entries(FONTS[id].files)) {
      if (!existsSync(path)) {
        throw new FontMissingError(
          `The ${weight} ${FONTS[id].family} font is missing at ${path}: run npm install (package ${FONTS[id].package}) or include it in the bundle.`,
        );
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
        await sharp({ text: { text: '.', font: `${FONTS[id].family} 8`, fontfile: path, dpi: 72 } })
          .raw()
          .toBuffer();
      }
    }
  })();
  registered.catch(() => {
    registered = undefined;
  });
  return registered;
}

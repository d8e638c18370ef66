import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { MediaError } from './media-error.ts';

/** A bundled font file is missing. */
export class FontMissingError extends MediaError {
  override readonly name = 'FontMissingError';
  override readonly code = 'FONT_MISSING';
}

/** Finds the installed @expo-google-fonts/inter folder whether or not its package.json is exported. */
function interDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve('@expo-google-fonts/inter/package.json'));
  } catch {
    // An "exports" map may hide package.json; the main entry sits at the package root.
    return dirname(require.resolve('@expo-google-fonts/inter'));
  }
}

const dir = interDir();

/** Inter TTFs shipped through npm: rendering never depends on the machine's system fonts. */
export const FONTS = {
  regular: join(dir, '400Regular', 'Inter_400Regular.ttf'),
  bold: join(dir, '700Bold', 'Inter_700Bold.ttf'),
} as const;

export type FontWeight = keyof typeof FONTS;

/** Pango family/style names inside those files, used in sharp's `font` description. */
export const FONT_DESCRIPTIONS: Record<FontWeight, string> = { regular: 'Inter', bold: 'Inter Bold' };

/** Throws a fixable message when a font file went missing (a pruned node_modules, a bad bundle). */
export function assertFontsPresent(): void {
  for (const [weight, path] of Object.entries(FONTS)) {
    if (!existsSync(path)) throw new FontMissingError(`The ${weight} Inter font is missing at ${path}: run npm install (package @expo-google-fonts/inter) or include it in the bundle.`);
  }
}

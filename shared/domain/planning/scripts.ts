/*
 * Writing systems of overlay text, per run of characters (Unicode Script property through RegExp
 * property escapes: pure, no tables of our own). The planner picks a font per script and reports text
 * in a script no shipped font draws.
 */

/** Scripts the shipped fonts draw, plus `common` (digits, punctuation, spaces: drawn by any font). */
export type SupportedScript = 'latin' | 'greek' | 'cyrillic' | 'han' | 'kana' | 'hangul' | 'arabic' | 'hebrew' | 'devanagari' | 'thai' | 'common';

const SUPPORTED: ReadonlyArray<[SupportedScript, RegExp]> = [
  ['latin', /\p{Script=Latin}/u],
  ['greek', /\p{Script=Greek}/u],
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['han', /\p{Script=Han}/u],
  ['kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['hangul', /\p{Script=Hangul}/u],
  ['arabic', /\p{Script=Arabic}/u],
  ['hebrew', /\p{Script=Hebrew}/u],
  ['devanagari', /\p{Script=Devanagari}/u],
  ['thai', /\p{Script=Thai}/u],
];

// Names people recognise for scripts no shipped font draws; anything else is reported by its code point.
const OTHER = [
  'Armenian',
  'Georgian',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Khmer',
  'Ethiopic',
  'Mongolian',
  'Syriac',
  'Thaana',
  'Cherokee',
  'Canadian_Aboriginal',
  'Tifinagh',
  'Javanese',
  'Balinese',
  'Yi',
  'Vai',
  'Nko',
  'Adlam',
  'Runic',
  'Ogham',
  'Braille',
].map((name) => [name.toLowerCase().replace(/_/g, '-'), new RegExp(`\\p{Script=${name}}`, 'u')] as const);
const EMOJI = /\p{Extended_Pictographic}/u;
// Inherited marks (combining accents, ZWJ/ZWNJ, variation selectors) take the script of what they follow.
const INHERITED = /[\p{Script=Inherited}\u200c\u200d]/u;

/** The script id of one character: a SupportedScript, `emoji`, `inherited`, another script's name, or `unknown`. */
export function scriptOf(ch: string): string {
  if (INHERITED.test(ch)) return 'inherited';
  for (const [id, re] of SUPPORTED) if (re.test(ch)) return id;
  if (EMOJI.test(ch)) return 'emoji';
  // Common after emoji: most pictographs have Script=Common.
  if (/\p{Script=Common}/u.test(ch)) return 'common';
  for (const [id, re] of OTHER) if (re.test(ch)) return id;
  return 'unknown';
}

/** Whether a script id is one the shipped fonts draw. */
export function isSupportedScript(script: string): script is SupportedScript {
  return script === 'common' || SUPPORTED.some(([id]) => id === script);
}

/** Right-to-left scripts: Pango lays their runs out right to left (and shapes Arabic joining). */
export const RTL_SCRIPTS: ReadonlySet<string> = new Set(['arabic', 'hebrew', 'syriac', 'thaana', 'nko', 'adlam']);

export interface ScriptRun {
  script: string;
  text: string;
}

/**
 * Splits text into runs of one script; common and inherited characters join the run they follow
 * (a leading one joins the first run after it), so "Nike 운동화 2" is [latin "Nike ", hangul "운동화 2"].
 */
export function scriptRuns(text: string): ScriptRun[] {
  const runs: ScriptRun[] = [];
  let pending = '';
  for (const ch of text) {
    const s = scriptOf(ch);
    if (s === 'common' || s === 'inherited') {
      if (runs.length > 0) runs[runs.length - 1].text += ch;
      else pending += ch;
      continue;
    }
    const last = runs.at(-1);
    if (last && last.script === s) last.text += ch;
    else runs.push({ script: s, text: (runs.length === 0 ? pending : '') + ch });
    if (runs.length === 1) pending = '';
  }
  if (runs.length === 0 && pending) runs.push({ script: 'common', text: pending });
  return runs;
}

/** The strong script with the most characters (ties: the first to appear); `common` for digits and punctuation only. */
export function dominantScript(text: string): string {
  const counts = new Map<string, number>();
  for (const ch of text) {
    const s = scriptOf(ch);
    if (s !== 'common' && s !== 'inherited' && s !== 'emoji') counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  let best = 'common';
  let n = 0;
  for (const [s, c] of counts)
    if (c > n) {
      best = s;
      n = c;
    }
  return best;
}

/** Whether the text's dominant script is written right to left. */
export function isRtl(text: string): boolean {
  return RTL_SCRIPTS.has(dominantScript(text));
}

// The few parts of opentype.js 2.0 that scripts/build-font-metrics.ts reads (the package ships no types).
declare module 'opentype.js' {
  interface Glyph {
    advanceWidth?: number;
  }
  interface Font {
    unitsPerEm: number;
    names: { fontFamily?: Record<string, string>; fullName?: Record<string, string> };
    tables: {
      hhea: { ascender: number; descender: number; lineGap: number };
      os2?: { usWinAscent: number; usWinDescent: number };
      cmap: { glyphIndexMap: Record<number, number> };
    };
    glyphs: { get(index: number): Glyph };
  }
  const opentype: { parse(buffer: ArrayBuffer): Font };
  export default opentype;
}

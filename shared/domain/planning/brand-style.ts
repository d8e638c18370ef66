/*
 * Brand colours on the text boxes: copy sits on the brand's primary colour when white text reads on it
 * (WCAG 4.5:1), else on translucent black. The assembler still measures the real backdrop and strengthens
 * a box that falls short.
 */

/** Relative luminance of a #rrggbb colour (WCAG 2). */
export function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** The box fill behind white copy: the brand's primary at 85 % when white reads on it, else black at 70 %. */
export function copyBoxColor(primary: string): string {
  const contrast = 1.05 / (luminance(primary) + 0.05);
  return /^#[0-9a-fA-F]{6}$/.test(primary) && contrast >= 4.5 ? `${primary.toLowerCase()}d9` : '#000000b3';
}

/** A number as filter-graph text: at most six decimals, no exponent for the values a graph uses. */
export const num = (n: number): string => String(Math.round(n * 1e6) / 1e6);
/** The nearest even size of at least 2 pixels (yuv420p needs even widths and heights). */
export const even = (n: number): number => Math.max(2, Math.round(n / 2) * 2);

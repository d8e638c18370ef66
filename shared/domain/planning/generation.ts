import { seedFrom } from '#domain/hash';
import type { Product } from '#domain/model/product';

/*
 * Creative generation: a refresh of a stale ad bumps it, which changes every seed and starts shots from
 * the next product photo; generation 0 keeps the original seeds and photos.
 */

/** Seeds: generation 0 hashes exactly the parts it always did, so existing seeds stay put. */
export function seedOf(generation: number, ...parts: Array<string | number>): number {
  return generation > 0 ? seedFrom(...parts, generation) : seedFrom(...parts);
}

/** The product photo a shot shows: its template image index, advanced by the generation; undefined without photos. */
export function imageFor(product: Product, index: number, generation: number): string | undefined {
  return product.images.length > 0 ? product.images[(index + generation) % product.images.length] : undefined;
}

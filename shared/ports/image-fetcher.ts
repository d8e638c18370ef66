/** Fetches a product photo named by URL, behind the SSRF guard (shared/adapters/http/image-fetcher.ts). */
export interface ImageFetcher {
  /** Resolves with the body bytes, or rejects with an ImageFetchError subclass saying why. */
  fetch(url: string): Promise<Buffer>;
}

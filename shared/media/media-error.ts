/** Base class of every error the media engine throws; `code` is stable, `name` is what Step Functions matches. */
export class MediaError extends Error {
  readonly code: string = 'MEDIA_ERROR';
}

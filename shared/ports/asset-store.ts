/** Where every artifact lives: S3 in AWS, plain files under out/ locally. Keys use forward slashes. */
export interface AssetStore {
  putBytes(key: string, bytes: Uint8Array | string, contentType: string): Promise<void>;
  putFile(key: string, path: string, contentType: string): Promise<void>;
  /** Throws AssetNotFoundError when the key does not exist. */
  getBytes(key: string): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
  /** A local file path holding the asset, for tools such as ffmpeg (a cached download on S3). */
  localPath(key: string): Promise<string>;
  list(prefix: string): Promise<string[]>;
  /** Removes the key (staged copies once published); a key that is already gone is no error. */
  delete(key: string): Promise<void>;
  /** A URL an ad platform can fetch without credentials, valid for `expiresSeconds` (S3: presigned GET). Absent locally: the server's URL is used. */
  signedUrl?(key: string, expiresSeconds: number): Promise<string>;
}

export class AssetStoreError extends Error {
  readonly code: string = 'ASSET_STORE';
}

export class AssetNotFoundError extends AssetStoreError {
  override readonly name = 'AssetNotFoundError';
  override readonly code = 'ASSET_NOT_FOUND';
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`Asset "${key}" does not exist in the asset store; re-run the step that writes it.`, options);
  }
}

export class InvalidAssetKeyError extends AssetStoreError {
  override readonly name = 'InvalidAssetKeyError';
  override readonly code = 'INVALID_ASSET_KEY';
  constructor(readonly key: string) {
    super(`Asset key "${key}" is not allowed: use relative keys of letters, digits, ".", "-", "_" and "/", without "..".`);
  }
}

const SAFE_KEY = /^(?!\/)(?!.*\/\/)[A-Za-z0-9._\/-]+$/;

/** Rejects keys that could escape the store's root or confuse S3 (absolute, "..", odd characters). */
export function assertSafeKey(key: string): string {
  if (!SAFE_KEY.test(key) || key.split('/').some((part) => part === '..' || part === '.' || part === '')) {
    throw new InvalidAssetKeyError(key);
  }
  return key;
}

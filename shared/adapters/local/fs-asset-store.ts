import { copyFile, mkdir, readFile, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import { AssetNotFoundError, assertSafeKey, type AssetStore } from '#ports/asset-store';

/** The local asset store: every key is an ordinary file under one root folder (out/ by default). */
export class FsAssetStore implements AssetStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async putBytes(key: string, bytes: Uint8Array | string): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomUUID()}.tmp`;
    await writeFile(temp, bytes);
    await rename(temp, path); // readers never see a half-written file
  }

  async putFile(key: string, source: string): Promise<void> {
    const path = this.pathOf(key);
    if (resolve(source) === path) return;
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomUUID()}.tmp`;
    await copyFile(source, temp);
    await rename(temp, path);
  }

  async getBytes(key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      throw notFoundOr(error, key);
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch {
      return false;
    }
  }

  async localPath(key: string): Promise<string> {
    const path = this.pathOf(key);
    if (!(await this.exists(key))) throw new AssetNotFoundError(key);
    return path;
  }

  async list(prefix: string): Promise<string[]> {
    const start = this.pathOf(prefix.replace(/\/+$/, '') || '.');
    const found: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (!entry.name.endsWith('.tmp')) found.push(relative(this.root, full).split(sep).join('/'));
      }
    };
    await walk(start);
    return found.sort();
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    await rm(path, { force: true });
    // Folders the key leaves empty go too (staging/<hash>/<run>/), as they would in S3, which has none.
    for (let dir = dirname(path); dir !== this.root && dir.startsWith(this.root + sep); dir = dirname(dir)) {
      if (
        !(await rmdir(dir).then(
          () => true,
          () => false,
        ))
      )
        break;
    }
  }

  /** Maps a key to its file, refusing anything that would land outside the root. */
  pathOf(key: string): string {
    const path = resolve(this.root, key === '.' ? '' : assertSafeKey(key));
    if (path !== this.root && !path.startsWith(this.root + sep)) throw new AssetNotFoundError(key);
    return path;
  }
}

function notFoundOr(error: unknown, key: string): unknown {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT' ? new AssetNotFoundError(key, { cause: error }) : error;
}

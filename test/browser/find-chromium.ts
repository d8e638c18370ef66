import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The machine's Chromium: CHROMIUM_PATH, else `chromium` (or `chromium-browser`) on PATH; undefined when absent. */
export function findChromium(): string | undefined {
  const candidates = [
    process.env.CHROMIUM_PATH,
    ...(process.env.PATH ?? '').split(delimiter).flatMap((dir) => (dir ? [join(dir, 'chromium'), join(dir, 'chromium-browser')] : [])),
  ];
  for (const path of candidates) {
    if (!path) continue;
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      continue;
    }
  }
  return undefined;
}

export const INSTALL_HINT =
  'Chromium not found: install it (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH to its binary, ' +
  'then run `npm run test:browser` again. Skipping the browser tests.';

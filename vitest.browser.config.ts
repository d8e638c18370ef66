import { defineConfig } from 'vitest/config';

// `npm run test:browser`: the review app in a real Chromium (playwright-core); kept out of `npm test`.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});

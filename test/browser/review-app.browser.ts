import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalHost, type LocalHost } from '../../local/local-host.ts';
import { followRun, uploadRunInput } from '../../local/local-run.ts';
import { startLocalServer, type LocalServer } from '../../local/server.ts';
import { tinyChannel } from '../support/tiny-channels.ts';
import { findChromium, INSTALL_HINT } from './find-chromium.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const CHROMIUM = findChromium();
if (!CHROMIUM) console.warn(INSTALL_HINT);
/** Small versions of the demo's placements (TikTok 9:16, Instagram feed 4:5), so the run takes seconds. */
const CHANNELS = [tinyChannel('tiktok', 270, 480, 4), tinyChannel('feed-4x5', 240, 300, 4)];

describe.skipIf(!CHROMIUM)('review app in Chromium after a demo-like run', () => {
  let root: string;
  let host: LocalHost;
  let server: LocalServer;
  let browser: Browser;
  let page: Page;
  const variant = (sku: string, channel: string) => page.locator(`[data-testid=variant][data-sku="${sku}"][data-channel="${channel}"]`);
  const takes = async () =>
    Object.fromEntries((await host.deps.tracker.listAds({ campaignId: 'spring-launch' })).map((a) => [`${a.sku}/${a.channel}`, a.takes?.at(-1)?.take]));

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'adline-browser-'));
    host = await openLocalHost({ outDir: join(root, 'out'), stateDir: join(root, 'state'), inMemoryTracker: true, extraChannels: CHANNELS });
    const input = await uploadRunInput(host, {
      catalogPath: join(EXAMPLES, 'catalog.json'),
      campaignPath: join(EXAMPLES, 'campaign.json'),
      runId: 'run-demo',
      channels: CHANNELS.map((c) => c.id),
    });
    await followRun(host, (await host.start(input, input.runId)).executionId);
    server = await startLocalServer({
      host,
      defaultCampaignKey: input.campaignKey,
      shopify: { secrets: [], campaignKeys: [input.campaignKey], currency: 'USD' },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'] });
    page = await (await browser.newContext({ acceptDownloads: true, viewport: { width: 1440, height: 1000 } })).newPage();
    // A script error in the page fails loudly here instead of as a selector timeout.
    page.on('pageerror', (error) => console.error(`review page error: ${error.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await server?.idle();
    await host?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('opens /review from the printed link (the token becomes a cookie) and lists every variant', async () => {
    await page.goto(`${server.url}/review?token=${server.token}`);
    expect(new URL(page.url()).search).toBe(''); // the token left the address bar
    await page.waitForSelector('body[data-ready=true]', { timeout: 5000 }).catch(async (error) => {
      throw new Error(`review page not ready: ${await page.locator('#notice').textContent()}`, { cause: error });
    });
    expect(await page.locator('[data-testid=variant]').count()).toBe(6);
    expect(await page.locator('[data-testid=status]').allTextContents()).toEqual(Array(6).fill('in review'));
  });

  it('plays a video', async () => {
    const video = variant('NW-MUG-001', 'tiny-tiktok').locator('video');
    const played = await video.evaluate(async (v: HTMLVideoElement) => {
      v.muted = true;
      await v.play();
      await new Promise((r) => setTimeout(r, 800));
      return { time: v.currentTime, duration: v.duration, width: v.videoWidth, error: v.error?.code ?? null };
    });
    expect(played.error).toBeNull();
    expect(played.width).toBe(270);
    expect(played.duration).toBeGreaterThan(3);
    expect(played.time).toBeGreaterThan(0);
    await video.evaluate((v: HTMLVideoElement) => {
      v.pause();
      v.currentTime = 1.5;
    });
  });

  it('approves one ad and rejects one with a reason', async () => {
    await variant('NW-MUG-001', 'tiny-feed-4x5').getByTestId('approve').click();
    await page.waitForSelector('[data-testid=variant][data-sku="NW-MUG-001"][data-channel="tiny-feed-4x5"][data-status=approved]');
    await variant('NW-SNK-002', 'tiny-feed-4x5').getByTestId('reject-reason').fill('Sole colour is off; use the side photo');
    await variant('NW-SNK-002', 'tiny-feed-4x5').getByTestId('reject').click();
    await page.waitForSelector('[data-testid=variant][data-sku="NW-SNK-002"][data-channel="tiny-feed-4x5"][data-status=rejected]');
    expect(await variant('NW-SNK-002', 'tiny-feed-4x5').getByTestId('reason').textContent()).toBe('Sole colour is off; use the side photo');
    const rows = await host.deps.tracker.listAds({ campaignId: 'spring-launch' });
    expect(rows.find((a) => a.sku === 'NW-SNK-002' && a.channel === 'tiny-feed-4x5')?.review).toMatchObject({
      state: 'rejected',
      reason: 'Sole colour is off; use the side photo',
    });
  });

  it("edits a headline and only that product's variants are re-rendered", async () => {
    const before = await takes();
    const product = page.locator('[data-testid=product][data-sku="NW-SNK-002"]');
    await product.getByTestId('headline').fill('Trailrunner: light all day');
    await product.getByTestId('save-copy').click();
    await page.waitForSelector('[data-testid=variant][data-sku="NW-SNK-002"][data-channel="tiny-feed-4x5"][data-take="2"]', { timeout: 120_000 });
    await page.waitForSelector('[data-testid=variant][data-sku="NW-SNK-002"][data-channel="tiny-tiktok"][data-take="2"]', { timeout: 120_000 });
    await server.idle();
    const after = await takes();
    expect(after).toEqual({ ...before, 'NW-SNK-002/tiny-feed-4x5': 2, 'NW-SNK-002/tiny-tiktok': 2 });
    expect(await product.getByTestId('headline').inputValue()).toBe('Trailrunner: light all day');
  });

  it('downloads the Meta feed and finds the approved ad in it', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('feed-meta-catalog.csv').click()]);
    const text = await readFile((await download.path())!, 'utf8');
    const [header, ...rows] = text.trim().split('\n');
    expect(header).toBe('id,video[0].url,video[0].tag[0],video[0].tag[1]');
    expect(rows).toEqual([`NW-MUG-001,${server.url}/ads/spring-launch/NW-MUG-001/product-hero/tiny-feed-4x5.mp4,product-hero,tiny-feed-4x5`]);
  });

  it('looks right (screenshot): approved, rejected and in-review ads side by side', async () => {
    await variant('NW-LMP-003', 'tiny-tiktok').getByTestId('reject-reason').fill('Headline hides the lamp shade');
    await variant('NW-LMP-003', 'tiny-tiktok').getByTestId('reject').click();
    await page.waitForSelector('[data-testid=variant][data-sku="NW-LMP-003"][data-channel="tiny-tiktok"][data-status=rejected]');
    await page.evaluate(() => window.scrollTo(0, 0));
    const out = process.env.ADLINE_REVIEW_SCREENSHOT ? resolve(process.env.ADLINE_REVIEW_SCREENSHOT) : join(root, 'review.png');
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, await page.screenshot({ fullPage: false }));
  });
});

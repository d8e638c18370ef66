import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleVideo } from '#media/assembly/assembler';
import type { AssembleShot } from '#media/assembly/assembler';
import { renderPlate } from '#media/procedural-plate';
import { validateVideo } from '#media/validate-output';
import { planStoryboard } from '#domain/planning/planner';
import { CAMPAIGN, TEMPLATES, product } from '../support/planner-fixtures.ts';
import { productPhoto, renderJob, tempDir, testChannel } from './media-fixtures.ts';

let dir: string;
let cleanup: () => Promise<void>;
let plate: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('frame-rates'));
  plate = join(dir, 'plate.png');
  await renderPlate({ job: renderJob(), image: await productPhoto(200), outPath: plate });
});
afterAll(() => cleanup());

describe('planned frames are the encoded frames', () => {
  it.each([24, 25, 29.97])('%s fps: the MP4 has exactly the storyboard frames', async (fps) => {
    const channel = testChannel({ id: `test-${String(fps).replace('.', '-')}`, fps, duration: { min: 1, target: 3.5, max: 20 } });
    const template = TEMPLATES.find((t) => t.id === 'product-hero')!;
    const { storyboard } = planStoryboard({ product: product({}), campaign: CAMPAIGN, template, channel, siblings: [channel] });
    expect(storyboard.frames).toBe(Math.round(3.5 * fps));
    const shots: AssembleShot[] = storyboard.shots.map((s) => ({ index: s.index, source: { kind: 'plate', path: plate, camera: s.camera } }));
    const out = join(dir, `${channel.id}.mp4`);
    await assembleVideo({ storyboard, channel, shots, outPath: out, posterPath: join(dir, `${channel.id}.jpg`), workDir: dir });
    const report = await validateVideo(out, channel, storyboard.duration);
    expect(report.problems).toEqual([]);
    expect(report.probe.video?.frames).toBe(storyboard.frames);
  });

  it('refuses a storyboard timed at another frame rate than its channel', async () => {
    const channel = testChannel();
    const { storyboard } = planStoryboard({ product: product({}), campaign: CAMPAIGN, template: TEMPLATES[0], channel: { ...channel, fps: 25 }, siblings: [] });
    const shots: AssembleShot[] = storyboard.shots.map((s) => ({ index: s.index, source: { kind: 'plate', path: plate, camera: s.camera } }));
    await expect(
      assembleVideo({ storyboard, channel, shots, outPath: join(dir, 'x.mp4'), posterPath: join(dir, 'x.jpg'), workDir: dir }),
    ).rejects.toMatchObject({ code: 'ASSEMBLY_INVALID', message: /25 fps but channel test-9x16 runs at 30 fps/ });
  });
});

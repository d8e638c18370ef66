import { describe, expect, it } from 'vitest';
import { CHANNELS } from '#domain/planning/channels';
import { planStoryboard } from '#domain/planning/planner';
import { Storyboard } from '#domain/model/storyboard';
import { planTimeline, tiling } from '#media/assembly/assembly-timeline';
import { CAMPAIGN as campaign, TEMPLATES, product as makeProduct } from '../support/planner-fixtures.ts';

const product = makeProduct({
  compareAtPrice: { amount: 24, currency: 'USD' },
  images: ['images/a.jpg', 'images/b.jpg'],
  features: ['Holds 350 ml', 'Dishwasher safe'],
});
const tiktok = CHANNELS.find((c) => c.id === 'tiktok')!;

/** A placement outside the registry (so it shares no encode) at `fps`, `target` seconds long. */
function channelAt(fps: number, target: number) {
  return { ...tiktok, id: `frames-${String(fps).replace('.', '-')}-${target}`, fps, duration: { min: 1, target, max: 60 } };
}

describe('the planner keeps frames as frames', () => {
  for (const fps of [24, 25, 29.97, 30]) {
    for (const target of [6, 10, 15]) {
      it(`${fps} fps, ${target} s: every template's shots tile exactly the channel's frame total, and the assembler encodes those frames`, () => {
        const channel = channelAt(fps, target);
        for (const template of TEMPLATES) {
          const { storyboard } = planStoryboard({ product, campaign, template, channel, siblings: [channel] });
          const seconds = Math.min(target, template.maxSeconds ?? Infinity);
          expect(storyboard.frames, template.id).toBe(Math.round(seconds * fps));
          const shots = storyboard.shots;
          expect(shots[0].startFrame).toBe(0);
          expect(shots[0].fadeFrames).toBe(0);
          shots
            .slice(1)
            .forEach((shot, i) => expect(shot.startFrame, `${template.id} shot ${shot.index}`).toBe(shots[i].startFrame + shots[i].frames - shot.fadeFrames));
          expect(shots.at(-1)!.startFrame + shots.at(-1)!.frames).toBe(storyboard.frames);
          expect(shots.reduce((n, s) => n + s.frames - s.fadeFrames, 0)).toBe(storyboard.frames);
          // The seconds are the frames for reading, to the millisecond.
          for (const s of shots) {
            expect(Math.abs(s.start - s.startFrame / fps)).toBeLessThanOrEqual(0.0005);
            expect(Math.abs(s.duration - s.frames / fps)).toBeLessThanOrEqual(0.0005);
            expect(Math.abs(s.fadeIn - s.fadeFrames / fps)).toBeLessThanOrEqual(0.0005);
          }
          // The assembler takes the frames as they are: nothing is rounded back from seconds, and the shots tile.
          const timeline = planTimeline(storyboard);
          expect(timeline.totalFrames).toBe(storyboard.frames);
          expect(timeline.shots).toEqual(shots.map((s) => ({ index: s.index, startFrame: s.startFrame, frames: s.frames, fadeFrames: s.fadeFrames })));
          expect(tiling(timeline, false)).toBeDefined();
        }
      });
    }
  }

  it('reads a planner@3 storyboard (shot timing in seconds only) with the frames the assembler derived from them', () => {
    for (const fps of [30, 29.97]) {
      const channel = channelAt(fps, 15);
      const { storyboard } = planStoryboard({ product, campaign, template: TEMPLATES.find((t) => t.id === 'product-hero')!, channel, siblings: [channel] });
      const { frames: _frames, ...legacy } = { ...storyboard, plannerVersion: 'planner@3' };
      const stored = { ...legacy, shots: storyboard.shots.map(({ startFrame: _s, frames: _f, fadeFrames: _d, ...seconds }) => seconds) };
      const read = Storyboard.parse(JSON.parse(JSON.stringify(stored)));
      expect(read.frames).toBe(storyboard.frames);
      expect(read.shots).toEqual(storyboard.shots);
    }
    // Seconds that are not whole frames round as the assembler rounded them: to the nearest frame, clamped to the ad.
    const odd = Storyboard.parse({
      ...planStoryboard({ product, campaign, template: TEMPLATES[0], channel: channelAt(30, 6), siblings: [] }).storyboard,
      frames: undefined,
      duration: 2.01,
      shots: [
        { index: 0, role: 'hero', start: 0, duration: 1.26, fadeIn: 0, camera: 'static', renderHash: 'r', seed: 1 },
        { index: 1, role: 'cta', start: 0.77, duration: 1.5, fadeIn: 0.49, camera: 'static', renderHash: 'r', seed: 1 },
      ],
    });
    expect(odd.frames).toBe(60);
    expect(odd.shots.map((s) => [s.startFrame, s.frames, s.fadeFrames])).toEqual([
      [0, 38, 0],
      [23, 37, 15],
    ]);
  });

  it('refuses a storyboard whose shot ends after its last frame', () => {
    const { storyboard } = planStoryboard({ product, campaign, template: TEMPLATES[0], channel: channelAt(25, 6), siblings: [] });
    const last = storyboard.shots.at(-1)!;
    expect(() => Storyboard.parse({ ...storyboard, shots: [...storyboard.shots.slice(0, -1), { ...last, frames: last.frames + 1 }] })).toThrow(/last frame/);
  });
});

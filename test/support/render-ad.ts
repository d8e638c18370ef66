import { join } from 'node:path';
import type { Campaign } from '#domain/model/campaign';
import type { ChannelSpec } from '#domain/model/channel-spec';
import type { ShotPicture } from '#domain/planning/creative-qc';
import type { PhotoAnalysis } from '#domain/model/photo-analysis';
import { planStoryboard } from '#domain/planning/planner';
import type { Product } from '#domain/model/product';
import type { Storyboard } from '#domain/model/storyboard';
import type { Template } from '#domain/model/template';
import { assembleVideo } from '#media/assembly/assembler';
import type { AssembleShot } from '#media/assembly/assembler';
import { renderPlate } from '#media/procedural-plate';

export interface RenderedAd {
  path: string;
  posterPath: string;
  storyboard: Storyboard;
  pictures: ShotPicture[];
  /** Plate path per shot index (the still each shot animates). */
  plates: Map<number, string>;
}

/**
 * Plans, renders (procedural plates) and assembles one video ad the way the pipeline does, in `dir`:
 * for tests and the contact sheets. `photos` maps the product's image keys to their bytes.
 */
export async function renderAd(opts: {
  product: Product;
  campaign: Campaign;
  template: Template;
  channel: ChannelSpec;
  photos: Map<string, Buffer>;
  analyses?: Map<string, PhotoAnalysis>;
  dir: string;
  name: string;
  edit?: (storyboard: Storyboard) => Storyboard;
}): Promise<RenderedAd> {
  const planned = planStoryboard({ product: opts.product, campaign: opts.campaign, template: opts.template, channel: opts.channel });
  const { jobs } = planned;
  // A test may plant a fault in the plan (a text box moved out of the safe zone, say) before it is encoded.
  const storyboard = opts.edit ? opts.edit(planned.storyboard) : planned.storyboard;
  const plates = new Map<string, { plate: string; bg: string; product: string; layered: boolean; frame?: ShotPicture['frame'] }>();
  for (const job of jobs) {
    const base = join(opts.dir, `${opts.name}-${job.renderHash.slice(0, 16)}`);
    const files = { plate: `${base}.png`, bg: `${base}.bg.png`, product: `${base}.product.png` };
    const image = job.imageKey ? opts.photos.get(job.imageKey) : undefined;
    const analysis = job.imageKey ? opts.analyses?.get(job.imageKey) : undefined;
    const { layered, frame } = await renderPlate({
      job,
      image,
      outPath: files.plate,
      layers: { backgroundPath: files.bg, productPath: files.product },
      ...(analysis ? { analysis } : {}),
    });
    plates.set(job.renderHash, { ...files, layered, frame });
  }
  const shots: AssembleShot[] = storyboard.shots.map((shot) => {
    const plate = plates.get(shot.renderHash)!;
    return shot.camera === 'parallax' && plate.layered
      ? { index: shot.index, source: { kind: 'plate', path: plate.bg, productPath: plate.product, camera: shot.camera } }
      : { index: shot.index, source: { kind: 'plate', path: plate.plate, camera: shot.camera } };
  });
  const path = join(opts.dir, `${opts.name}.mp4`);
  const posterPath = join(opts.dir, `${opts.name}.jpg`);
  await assembleVideo({ storyboard, channel: opts.channel, shots, outPath: path, posterPath, workDir: opts.dir });
  return {
    path,
    posterPath,
    storyboard,
    pictures: storyboard.shots.map((s) => ({ index: s.index, frame: plates.get(s.renderHash)!.frame })),
    plates: new Map(storyboard.shots.map((s) => [s.index, plates.get(s.renderHash)!.plate])),
  };
}

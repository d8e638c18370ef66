import { z } from 'zod';
import { extensionOf } from './content-types.ts';

/*
 * The output kinds adline makes (a channel's `kind`), as data: what the planner, the shared encodes, the
 * catalog feeds, the run sizing and the gallery need to know about each. A new kind (an HTML5 banner, an
 * animated GIF, a vertical still) is one entry here and one in shared/usecases/output-kind-steps.ts (how it
 * is assembled and validated): that table is a Record over `OutputKind` (these keys), so a kind without
 * its steps is a type error.
 */

/** How the planner plans a kind: `shots` = timed shots that are rendered, then encoded; `still` = one composed still, no render jobs. */
export type PlanMethod = 'shots' | 'still';

/** What the domain needs to know about one output kind. */
export interface OutputKindFacts {
  plan: PlanMethod;
  /** Placements of one size, frame rate and codecs may share one encode (shared-encode.ts). */
  sharesEncodes: boolean;
  /** The ad platforms' catalog video fields may carry it (feed-formats.ts). */
  feedVideo: boolean;
  /** Extensions (lower case) of its published file: they tell an ad's kind from its output key. */
  extensions: readonly string[];
  /** The element a page shows one ad in (the local gallery). */
  shownAs: 'video' | 'img';
  /** What people call one ad of this kind ("a banner"). */
  noun: string;
}

/** The registry: one entry per output kind, its key the channel's `kind`. */
export const OUTPUT_KINDS = {
  video: { plan: 'shots', sharesEncodes: true, feedVideo: true, extensions: ['mp4'], shownAs: 'video', noun: 'video' },
  image: { plan: 'still', sharesEncodes: false, feedVideo: false, extensions: ['png', 'jpg', 'jpeg'], shownAs: 'img', noun: 'banner' },
} as const satisfies Record<string, OutputKindFacts>;

export type OutputKind = keyof typeof OUTPUT_KINDS;
/** The kinds as a zod enum, from the registry's keys (the one list of kinds). */
export const OutputKind = z.enum(Object.keys(OUTPUT_KINDS) as [OutputKind, ...OutputKind[]]);

/** The kind of documents written before kinds existed (storyboards without `kind` are videos). */
export const DEFAULT_OUTPUT_KIND: OutputKind = 'video';

/** The facts of one kind. */
export function outputKind(kind: OutputKind): OutputKindFacts {
  return OUTPUT_KINDS[kind];
}

/** True when a kind's ads are made of rendered shots (they need render jobs and an aspect family's renders). */
export function rendersShots(kind: OutputKind): boolean {
  return outputKind(kind).plan === 'shots';
}

/** The kind a published file is, by its extension; files of no listed extension are the default kind. */
export function outputKindOfFile(key: string): OutputKind {
  const ext = extensionOf(key);
  return OutputKind.options.find((kind) => kind !== DEFAULT_OUTPUT_KIND && outputKind(kind).extensions.includes(ext)) ?? DEFAULT_OUTPUT_KIND;
}

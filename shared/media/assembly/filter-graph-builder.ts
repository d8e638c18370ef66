/**
 * The single-pass filter graph while it is built: the ffmpeg inputs in order, the filter lines, the index
 * of the next input and the label of the video everything so far is composed into.
 */
export class FilterGraph {
  readonly inputs: string[];
  readonly lines: string[] = [];
  readonly fps: number;
  /** Index of the next ffmpeg input (0 and 1 are the black base and the silent audio). */
  input = 2;
  /** Label of the video the next layer goes over. */
  base = '[0:v]';
  private layers = 0;

  constructor(inputs: string[], fps: number) {
    this.inputs = inputs;
    this.fps = fps;
  }

  /** Lays stream `label` over the base with the given overlay filter; the result becomes the base. */
  layer(label: string, overlay: string): void {
    const out = `[b${++this.layers}]`;
    this.lines.push(`${this.base}${label}${overlay}${out};`);
    this.base = out;
  }

  /** Adds a still image input shown for `seconds` and returns its filter chain: decoded once and repeated in the graph. */
  still(path: string, seconds: number): string {
    // image2's -loop would decode the PNG again for every frame.
    this.inputs.push('-f', 'image2', '-pattern_type', 'none', '-i', path);
    return `format=yuva420p,loop=loop=${Math.max(0, Math.round(seconds * this.fps) - 1)}:size=1:start=0,setpts=N/${this.fps}/TB`;
  }
}

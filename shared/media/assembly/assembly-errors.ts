import { MediaError } from '#media/media-error';

/** The inputs cannot make a valid video (a shot without a source, a storyboard for another size). */
export class AssemblyError extends MediaError {
  override readonly name = 'AssemblyError';
  override readonly code = 'ASSEMBLY_INVALID';
}

/** Even after lowering the bitrate twice the file is above the channel's byte cap. */
export class OutputTooLargeError extends MediaError {
  override readonly name = 'OutputTooLargeError';
  override readonly code = 'OUTPUT_TOO_LARGE';
}

/** An assembled output that fails its channel's spec: it is never published. */
export class OutputValidationError extends Error {
  override readonly name = 'OutputValidationError';
  readonly code = 'OUTPUT_INVALID';
}

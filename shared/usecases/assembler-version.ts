/** Bumped whenever the assembler's output changes for the same storyboard and renders (part of every variant hash). */
export const ASSEMBLER_VERSION = 'assembler@3';

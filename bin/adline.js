#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so `npx adline` works from a checkout without a build step.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on every start that Node 20 support ends in 2027; adline already targets Node 22 in Lambda.
const emitWarning = process.emitWarning;
process.emitWarning = function filtered(warning, ...rest) {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  if (type === 'NodeVersionSupportWarning' || String(warning).includes('NodeVersionSupportWarning')) return;
  return emitWarning.call(process, warning, ...rest);
};

register();
const { main } = await import('../local/cli.ts');
await main();

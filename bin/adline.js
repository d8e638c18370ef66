#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so `npx adline` works from a checkout without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../local/cli.ts');
await main();

import { readFileSync } from 'node:fs';

/**
 * The `context` block of cdk.json (feature flags included), for Apps built outside the CDK CLI
 * (tests, the local host), so they synthesize what `cdk synth` does.
 */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson: unknown = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8'));
  const context = typeof cdkJson === 'object' && cdkJson !== null && 'context' in cdkJson ? cdkJson.context : undefined;
  if (typeof context !== 'object' || context === null) throw new Error('cdk.json has no "context" object.');
  return { ...(context as Record<string, unknown>) };
}

/**
 * cdk.json's context for template-only synths: no bundling (no esbuild runs, no layer copy; assets get
 * placeholder hashes) and no built-in CloudFormation validation (about 2.7 s of a 3 s synth). The
 * resources are the same as a full `cdk synth`.
 */
export function templateOnlyContext(): Record<string, unknown> {
  return { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:validateAgainstDefaultRules': false };
}

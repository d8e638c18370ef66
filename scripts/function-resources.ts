/**
 * What a refactor of infra/ must not change, as one JSON file: every AWS::Lambda::Function, AWS::IAM::Policy,
 * AWS::IAM::Role and AWS::Logs::LogGroup of the synthesized stack and its nested stacks, by stack and logical ID.
 * The default stack is synthesized with real bundling (its Code keys are the esbuild output's hashes, so a
 * changed bundle shows), a second with every optional trigger and provider on, template-only.
 *
 *   tsx scripts/function-resources.ts snapshot <out.json>     synthesizes and writes the resources
 *   tsx scripts/function-resources.ts compare <a.json> <b.json>  counts them and lists every difference
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AdlineStack, type AdlineStackProps } from '#infra/adline-stack';
import { cdkJsonContext, templateOnlyContext } from '#infra/cdk-context';

const TYPES = ['AWS::Lambda::Function', 'AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::Logs::LogGroup'];

/** Every option that adds a function, a grant or a variable. */
const EVERYTHING_ON: AdlineStackProps = {
  shopifyEventBusName: 'aws.partner/shopify.com/123/adline',
  shopifyShops: ['a.myshopify.com', 'b.myshopify.com'],
  renderProviders: { fal: true, replicate: true, http: true, bedrockModels: ['amazon.nova-reel-v1:1'], sagemakerEndpoints: ['Wan-Endpoint'] },
};

type Resources = Record<string, unknown>;

/** The resources of TYPES in a stack and every stack nested in it, keyed `<variant>/<stack path>/<logical ID>`. */
function resourcesOf(variant: string, stack: Stack): Resources {
  const out: Resources = {};
  const stacks = [stack, ...stack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack)];
  for (const s of stacks) {
    const template = Template.fromStack(s).toJSON() as { Resources: Record<string, { Type: string }> };
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (TYPES.includes(resource.Type)) out[`${variant}/${s.node.path}/${id}`] = resource;
    }
  }
  return out;
}

/** Synthesizes both variants and returns their resources. */
function snapshot(): Resources {
  const outdir = mkdtempSync(join(tmpdir(), 'adline-fn-resources-'));
  try {
    const bundled = new App({ outdir, context: { ...cdkJsonContext(), '@aws-cdk/core:validateAgainstDefaultRules': false } });
    const everything = new App({ outdir: join(outdir, 'all'), context: templateOnlyContext() });
    return {
      ...resourcesOf('default', new AdlineStack(bundled, 'Adline')),
      ...resourcesOf('everything-on', new AdlineStack(everything, 'Adline', EVERYTHING_ON)),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Per type: how many in each file, how many equal; then each key only in one file or different. */
function compare(a: Resources, b: Resources): boolean {
  const typeOf = (r: unknown) => (r as { Type: string }).Type;
  let same = true;
  for (const type of TYPES) {
    const keysA = Object.keys(a).filter((k) => typeOf(a[k]) === type);
    const keysB = Object.keys(b).filter((k) => typeOf(b[k]) === type);
    const equal = keysA.filter((k) => k in b && isDeepStrictEqual(a[k], b[k]));
    console.log(`${type}: ${keysA.length} before, ${keysB.length} after, ${equal.length} identical`);
    for (const k of keysA.filter((k) => !(k in b))) console.log(`  only before: ${k}`);
    for (const k of keysB.filter((k) => !(k in a))) console.log(`  only after:  ${k}`);
    for (const k of keysA.filter((k) => k in b && !isDeepStrictEqual(a[k], b[k]))) {
      console.log(`  differs: ${k}\n    before: ${JSON.stringify(a[k])}\n    after:  ${JSON.stringify(b[k])}`);
    }
    if (equal.length !== keysA.length || keysA.length !== keysB.length) same = false;
  }
  return same;
}

const [command, first, second] = process.argv.slice(2);
if (command === 'snapshot' && first) {
  writeFileSync(first, JSON.stringify(snapshot(), null, 1));
  console.log(`wrote ${first}`);
} else if (command === 'compare' && first && second) {
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Resources;
  process.exit(compare(read(first), read(second)) ? 0 : 1);
} else {
  console.error('usage: tsx scripts/function-resources.ts snapshot <out.json> | compare <before.json> <after.json>');
  process.exit(2);
}

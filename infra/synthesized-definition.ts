import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AdlineStack } from './adline-stack.ts';
import { templateOnlyContext } from './cdk-context.ts';

/** An Amazon States Language document as far as state names go. */
export interface AslStates {
  StartAt: string;
  States: Record<string, AslState>;
}
interface AslState {
  Type: string;
  ItemProcessor?: AslStates;
  Iterator?: AslStates;
  Branches?: AslStates[];
  [field: string]: unknown;
}

/**
 * The state machine definition exactly as `cdk synth` writes it for AdlineStack, parsed; CloudFormation
 * references (function ARNs, partition) become `<Ref:…>`/`<GetAtt:…>` placeholders. Bundling is skipped.
 */
export function synthesizedDefinition(): AslStates {
  const app = new App({ context: templateOnlyContext() });
  return definitionFromTemplate(Template.fromStack(new AdlineStack(app, 'AdlineDefinition')));
}

/** The parsed definition of the one state machine in a synthesized template (placeholders for references). */
export function definitionFromTemplate(template: Template): AslStates {
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  if (machines.length !== 1) throw new Error(`Expected one state machine in the template, found ${machines.length}.`);
  return JSON.parse(cfnString(machines[0].Properties.DefinitionString)) as AslStates;
}

/** Every state name in the synthesized definition, including those inside Map and Parallel states. */
export function synthesizedStateNames(): Set<string> {
  return stateNamesOf(synthesizedDefinition());
}

/** Every state name in an ASL document, recursing into Map `ItemProcessor`/`Iterator` and Parallel `Branches`. */
export function stateNamesOf(definition: AslStates): Set<string> {
  const names = new Set<string>();
  const walk = (states: Record<string, AslState>): void => {
    for (const [name, state] of Object.entries(states)) {
      names.add(name);
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) walk(processor.States);
      for (const branch of state.Branches ?? []) walk(branch.States);
    }
  };
  walk(definition.States);
  return names;
}

/** Flattens a CloudFormation string value (`Fn::Join` of literals and references) into plain text. */
function cfnString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const join = record['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) return join[1].map(cfnString).join(join[0]);
    if (typeof record.Ref === 'string') return `<Ref:${record.Ref}>`;
    const getAtt = record['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<GetAtt:${getAtt.join('.')}>`;
  }
  throw new Error(`Unexpected CloudFormation value in the state machine definition: ${JSON.stringify(value)}`);
}

import type { z } from 'zod';
import { Template } from '#domain/model/template';

export class TemplateFileError extends Error {
  override readonly name = 'TemplateFileError';
  readonly code = 'TEMPLATE_INVALID';
  constructor(
    readonly file: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`Template file ${file} is invalid: ${detail}. Fix the file (see docs/templates.md) and run again.`, options);
  }
}

/** Parses one template file's text, naming the file, the path inside it and what was expected on error. */
export function parseTemplateFile(file: string, text: string): Template {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TemplateFileError(file, `not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = Template.safeParse(json);
  if (!parsed.success) throw new TemplateFileError(file, describeIssues(parsed.error.issues));
  const expectedId = file.replace(/^.*[\\/]/, '').replace(/\.json$/, '');
  if (parsed.data.id !== expectedId) throw new TemplateFileError(file, `at "id": expected "${expectedId}" (the file name), got "${parsed.data.id}"`);
  return parsed.data;
}

/** Renders zod issues as "at shots[1].camera: expected one of ..." sentences. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `at "${formatPath(issue.path)}": ${issue.message}`)
    .join('; ');
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '') || '(root)';
}

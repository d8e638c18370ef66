import { parseDocument } from '#domain/model/json-document';
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
  const template = parseDocument(text, Template, `Template file ${file}`, (problem) =>
    problem.kind === 'not-json'
      ? new TemplateFileError(file, `not valid JSON (${problem.detail})`, { cause: problem.cause })
      : new TemplateFileError(file, problem.detail),
  );
  const expectedId = file.replace(/^.*[\\/]/, '').replace(/\.json$/, '');
  if (template.id !== expectedId) throw new TemplateFileError(file, `at "id": expected "${expectedId}" (the file name), got "${template.id}"`);
  return template;
}

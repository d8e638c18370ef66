import type { z } from 'zod';

/** Why a JSON document was refused: `not-json` (the text does not parse) or `invalid` (its schema refuses it). */
export interface DocumentProblem {
  kind: 'not-json' | 'invalid';
  /** The parser's message, or the described schema issues. */
  detail: string;
  /** "<what> is not valid JSON: <detail>" or "<what> is invalid: <detail>". */
  message: string;
  /** The SyntaxError, for a document that is not JSON. */
  cause?: unknown;
}

export class DocumentParseError extends Error {
  override readonly name = 'DocumentParseError';
  readonly code = 'DOCUMENT_UNPARSABLE';
  readonly kind: DocumentProblem['kind'];
  readonly detail: string;
  constructor(problem: DocumentProblem) {
    super(problem.message, problem.cause === undefined ? undefined : { cause: problem.cause });
    this.kind = problem.kind;
    this.detail = problem.detail;
  }
}

/**
 * Parses JSON text and validates it against its schema. `what` names the document in the error
 * ("Campaign file x.json"); `fail` turns a problem into the caller's own named error (default:
 * DocumentParseError), so each host keeps its error class and code.
 */
export function parseDocument<T extends z.ZodType>(
  text: string,
  schema: T,
  what: string,
  fail: (problem: DocumentProblem) => Error = (problem) => new DocumentParseError(problem),
): z.infer<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = (error as Error).message;
    throw fail({ kind: 'not-json', detail, message: `${what} is not valid JSON: ${detail}`, cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const detail = describeIssues(parsed.error.issues);
    throw fail({ kind: 'invalid', detail, message: `${what} is invalid: ${detail}` });
  }
  return parsed.data;
}

/** Renders zod issues as "at shots[1].camera: expected one of ..." sentences (the first five). */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `at "${formatPath(issue.path)}": ${issue.message}`)
    .join('; ');
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '') || '(root)';
}

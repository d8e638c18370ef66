import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeIssues, DocumentParseError, parseDocument, type DocumentProblem } from '#domain/model/json-document';

const Doc = z.object({ id: z.string(), shots: z.array(z.object({ camera: z.enum(['push-in', 'orbit']) })) });

describe('parseDocument', () => {
  it('returns the value its schema accepts', () => {
    expect(parseDocument('{"id":"a","shots":[{"camera":"orbit"}]}', Doc, 'Doc a.json')).toEqual({ id: 'a', shots: [{ camera: 'orbit' }] });
  });

  it('names the document and keeps the parser error as the cause when the text is not JSON', () => {
    const error = catchError(() => parseDocument('{nope', Doc, 'Doc a.json'));
    expect(error).toBeInstanceOf(DocumentParseError);
    expect(error).toMatchObject({ name: 'DocumentParseError', code: 'DOCUMENT_UNPARSABLE', kind: 'not-json' });
    expect(error.message).toMatch(/^Doc a\.json is not valid JSON: /);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('describes the path and what was expected when the schema refuses the document', () => {
    const error = catchError(() => parseDocument('{"id":"a","shots":[{"camera":"orbit"},{"camera":"spin"}]}', Doc, 'Doc a.json'));
    expect(error).toMatchObject({ kind: 'invalid' });
    expect(error.message).toMatch(/^Doc a\.json is invalid: at "shots\[1\]\.camera": .*push-in/);
    expect(error.cause).toBeUndefined();
  });

  it("hands the problem to the caller's own error", () => {
    class MyError extends Error {}
    const seen: DocumentProblem[] = [];
    const fail = (problem: DocumentProblem) => (seen.push(problem), new MyError(problem.message));
    expect(() => parseDocument('[]', Doc, 'Doc', fail)).toThrow(MyError);
    expect(() => parseDocument('', Doc, 'Doc', fail)).toThrow(MyError);
    expect(seen.map((p) => p.kind)).toEqual(['invalid', 'not-json']);
    expect(seen[0].detail).toBe('at "(root)": Invalid input: expected object, received array');
  });
});

describe('describeIssues', () => {
  it('lists at most five issues, each with its path', () => {
    const result = z.array(z.number()).safeParse(['a', 'b', 'c', 'd', 'e', 'f']);
    const text = describeIssues(result.error!.issues);
    expect(text.split('; ')).toHaveLength(5);
    expect(text).toMatch(/^at "\[0\]": /);
  });
});

function catchError(work: () => unknown): DocumentParseError {
  try {
    work();
  } catch (error) {
    return error as DocumentParseError;
  }
  throw new Error('expected an error');
}

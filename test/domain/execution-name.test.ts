import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { executionName } from '#domain/execution-name';

const VALID = /^[A-Za-z0-9_-]{1,80}$/;

describe('executionName', () => {
  it('keeps names that are already valid', () => {
    expect(executionName(['spring', 'run_01'])).toBe('spring-run_01');
    expect(executionName(['a'.repeat(80)])).toBe('a'.repeat(80));
  });

  it('replaces unsafe characters and adds a hash so distinct inputs stay distinct', () => {
    const dotted = executionName(['spring.v1', 'run 1']);
    expect(dotted).toMatch(/^spring_v1-run_1-[0-9a-f]{12}$/);
    expect(executionName(['spring_v1', 'run_1'])).toBe('spring_v1-run_1');
    expect(executionName(['spring/v1', 'run 1'])).not.toBe(dotted);
  });

  it('truncates long names to 80 characters with a hash suffix', () => {
    const long = executionName(['c'.repeat(60), 'r'.repeat(60)]);
    expect(long).toHaveLength(80);
    expect(long.startsWith('c'.repeat(60) + '-' + 'r'.repeat(6))).toBe(true);
    expect(long).toMatch(/-[0-9a-f]{12}$/);
    expect(executionName(['c'.repeat(60), 'r'.repeat(61)])).not.toBe(long);
  });

  it('never returns an empty name', () => {
    expect(executionName([])).toMatch(/^[0-9a-f]{12}$/);
    expect(executionName([''])).toMatch(/^[0-9a-f]{12}$/);
  });

  it('is always valid, deterministic, and injective on the parts it is given', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 50 }), { maxLength: 4 }), fc.array(fc.string({ maxLength: 50 }), { maxLength: 4 }), (a, b) => {
        const name = executionName(a);
        expect(name).toMatch(VALID);
        expect(executionName([...a])).toBe(name);
        // Only joins that read the same ("a-b" from ["a","b"] or ["a-b"]) may share a name.
        if (a.join('-') !== b.join('-')) expect(executionName(b)).not.toBe(name);
      }),
    );
  });
});

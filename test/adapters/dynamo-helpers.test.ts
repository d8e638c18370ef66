import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { conditionalWrite, isConditionalFailure } from '#adapters/aws/conditional-write';
import { collectPages } from '#adapters/aws/dynamo-pages';

const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

describe('collectPages', () => {
  it('follows LastEvaluatedKey until the last page, passing each as the next start key', async () => {
    const pages = [{ Items: [{ n: 1 }, { n: 2 }], LastEvaluatedKey: { pk: 'a' } }, { LastEvaluatedKey: { pk: 'b' } }, { Items: [{ n: 3 }] }];
    const starts: unknown[] = [];
    const items = await collectPages(async (startKey) => (starts.push(startKey), pages[starts.length - 1]));
    expect(items).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(starts).toEqual([undefined, { pk: 'a' }, { pk: 'b' }]);
  });

  it('sends one request when the first page is the last', async () => {
    let calls = 0;
    expect(await collectPages(async () => (calls++, {}))).toEqual([]);
    expect(calls).toBe(1);
  });
});

describe('conditional writes', () => {
  it('tells a failed condition from other errors', () => {
    expect(isConditionalFailure(conditionFailed())).toBe(true);
    expect(isConditionalFailure(new Error('The conditional request failed'))).toBe(false);
  });

  it('answers true when written and false when the condition did not hold', async () => {
    expect(await conditionalWrite(async () => ({}))).toBe(true);
    expect(
      await conditionalWrite(async () => {
        throw conditionFailed();
      }),
    ).toBe(false);
  });

  it('throws any other error', async () => {
    await expect(
      conditionalWrite(async () => {
        throw new Error('throttled');
      }),
    ).rejects.toThrow('throttled');
  });
});

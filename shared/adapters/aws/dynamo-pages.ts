/** One page of a DynamoDB Query or Scan, as the document client returns it. */
export interface DynamoPage {
  Items?: Record<string, unknown>[];
  LastEvaluatedKey?: Record<string, unknown>;
}

/**
 * Every item of a paginated Query or Scan, in page order. `fetchPage` sends the request with the
 * previous page's LastEvaluatedKey as ExclusiveStartKey (undefined for the first page).
 */
export async function collectPages(fetchPage: (startKey: Record<string, unknown> | undefined) => Promise<DynamoPage>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await fetchPage(startKey);
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

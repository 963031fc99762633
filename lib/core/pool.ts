/**
 * `work` over every item with at most `limit` running at once; results in the items' order.
 * `work` must not throw for one item (coverage turns a failed account into a row): a throw
 * still rejects the whole run, so a bug is not hidden as a row.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  onDone: (result: R, done: number) => void = () => undefined,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
      onDone(results[index], ++done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

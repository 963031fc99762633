/**
 * The one concurrency limiter. Not p-limit: its current releases are ESM-only (this project
 * runs as CommonJS, and jest loads it so), and it queues every task it is given, where a
 * restore must pull the next listed version only when a slot is free (no read-ahead).
 */

/**
 * Runs `work` on each item with at most `limit` in flight. The next item is pulled only when
 * a slot is free, so a long listing is never read ahead of the work (memory stays bounded by
 * `limit`). Stops pulling when `stop()` turns true or a `work` throws; waits for the items in
 * flight either way, then rethrows the first error.
 */
export async function forEachLimit<T>(
  items: AsyncIterable<T> | Iterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failed: { error: unknown } | undefined;
  for await (const item of items) {
    if (failed || stop()) break;
    const task: Promise<void> = work(item)
      .catch((error: unknown) => void (failed ??= { error }))
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
    if (inFlight.size >= Math.max(1, limit)) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failed) throw failed.error;
}

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
  let done = 0;
  await forEachLimit(items.keys(), limit, async (index) => {
    results[index] = await work(items[index], index);
    onDone(results[index], ++done);
  });
  return results;
}

/**
 * Runs `work` on each item of an async stream with at most `limit` in flight. The next item
 * is pulled only when a slot is free, so a long listing is never read ahead of the copies
 * (memory stays bounded by `limit`). Stops pulling when `stop()` turns true; waits for the
 * items in flight either way. `work` must not throw (it reports its own failures).
 */
export async function forEachLimit<T>(
  items: AsyncIterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  for await (const item of items) {
    if (stop()) break;
    const task: Promise<void> = work(item).finally(() => inFlight.delete(task));
    inFlight.add(task);
    if (inFlight.size >= limit) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

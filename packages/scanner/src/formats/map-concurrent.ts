/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight, results in input order. Reading
 * hundreds of small headers spread over a large file one after another waits on each read in turn;
 * a few in flight let the file system overlap them.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T, i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

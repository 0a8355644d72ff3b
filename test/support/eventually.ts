import { sleep } from './refusals';

/**
 * Calls `probe` until it returns something other than undefined, waiting `everyMs` between calls,
 * and gives up with undefined after `capMs`: a wait on an event with a generous cap, never a bound
 * on how fast the event must come.
 */
export async function eventually<T>(probe: () => Promise<T | undefined>, capMs: number, everyMs = 100): Promise<T | undefined> {
  const started = Date.now();
  for (;;) {
    const result = await probe();
    if (result !== undefined) return result;
    if (Date.now() - started > capMs) return undefined;
    await sleep(everyMs);
  }
}

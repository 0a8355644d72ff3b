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

/**
 * Calls `attempt` until it resolves, waiting `everyMs` between failures; after `capMs` the last
 * failure is thrown. For a client that reconnects on its own schedule (Redis, with backoff).
 */
export async function retrying<T>(attempt: () => Promise<T>, capMs = 20_000, everyMs = 100): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() - started > capMs) throw err;
      await sleep(everyMs);
    }
  }
}

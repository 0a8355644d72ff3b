/** Issuer metadata and key sets are a few KB; a larger body is refused rather than buffered. */
const MAX_BODY_BYTES = 512 * 1024;

export class FetchError extends Error {
  override name = 'FetchError';
}

/**
 * GETs a JSON document under the caller's deadline. A total deadline (not a socket idle timeout)
 * matters: a server that trickles one byte a second would otherwise hold requests forever.
 *
 * The deadline is enforced here as well as handed to fetch: Node's fetch can lose the link to the
 * caller's signal after a garbage collection (nodejs/node#55428), and would then wait on a hanging
 * server for as long as it hangs.
 */
export function fetchJson(url: string, signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new FetchError(`${url}: timed out`));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    readJson(url, signal)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function readJson(url: string, signal: AbortSignal): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { signal, redirect: 'error', headers: { accept: 'application/json' } });
  } catch (err) {
    throw new FetchError(`${url}: ${describe(err)}`);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new FetchError(`${url}: HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length'));
  if (declared > MAX_BODY_BYTES) {
    await res.body?.cancel().catch(() => undefined);
    throw new FetchError(`${url}: body larger than ${MAX_BODY_BYTES} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body ?? []) {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) throw new FetchError(`${url}: body larger than ${MAX_BODY_BYTES} bytes`);
      chunks.push(chunk);
    }
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    if (err instanceof FetchError) throw err;
    throw new FetchError(`${url}: ${describe(err)}`);
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timed out';
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return cause ?? err.message;
  }
  return String(err);
}

/** Polls `url` until it answers 2xx, or throws after `timeoutMs`. Loopback URLs only; bounded in time. */
export async function waitForHttp(url, { timeoutMs = 20000, intervalMs = 150, isAlive = () => true } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`process for ${url} exited before it answered`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (err) {
      last = err.cause?.code ?? err.message;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (${last})`);
}

import { Dispatcher, request } from 'undici';

/** Issuer metadata and key sets are a few KB; a larger body is refused rather than buffered. */
const MAX_BODY_BYTES = 512 * 1024;

/** Why a fetch failed, as a stable code: what a public probe may show (the message, with URLs, goes to the log). */
export type FetchErrorCode =
  | 'timeout'
  | 'network'
  | 'redirect'
  | 'http_status'
  | 'too_large'
  | 'not_json'
  | 'not_jwks'
  | 'issuer_mismatch'
  | 'no_jwks_uri';

export class FetchError extends Error {
  override name = 'FetchError';
  constructor(
    readonly code: FetchErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** RFC 9110 §15.3.1 and §15.3.4: the answers to a GET whose content is the resource itself. */
const REPRESENTATION_STATUSES = new Set([200, 203]);

/**
 * GETs a JSON document under the caller's deadline, through `dispatcher` (which applies the
 * HTTP(S)_PROXY / NO_PROXY settings). A total deadline (not a socket idle timeout) matters: a server
 * that trickles one byte a second would otherwise hold requests forever.
 *
 * Liberal where RFC 8259 and RFC 9110 let a reader be: any media type (the Content-Type is not
 * checked, so `application/jwk-set+json`, parameters or a mislabelled `text/plain` all do), a UTF-8
 * byte order mark (RFC 8259 §8.1), surrounding whitespace, 203 as well as 200. Redirects are not
 * followed (the keys must come from the configured location); the error names where it pointed.
 *
 * The deadline is enforced here as well as handed to the request: Node has lost the link to a
 * caller's signal after a garbage collection before (nodejs/node#55428), and would then wait on a
 * hanging server for as long as it hangs.
 *
 * @param accept the Accept header (RFC 9110 §12.5.1), e.g. `application/jwk-set+json, application/json`
 * @throws FetchError with a code, and a message naming the URL, for the log
 */
export function fetchJson(url: string, accept: string, dispatcher: Dispatcher, signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new FetchError('timeout', `${url}: timed out`));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    readJson(url, accept, dispatcher, signal)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function readJson(url: string, accept: string, dispatcher: Dispatcher, signal: AbortSignal): Promise<unknown> {
  let res: Dispatcher.ResponseData;
  try {
    res = await request(url, { dispatcher, signal, method: 'GET', headers: { accept } });
  } catch (err) {
    throw new FetchError(isAbort(err) ? 'timeout' : 'network', `${url}: ${describe(err)}`);
  }
  const { statusCode, headers, body } = res;
  try {
    if (statusCode >= 300 && statusCode < 400) {
      const location = headerValue(headers.location);
      const target = location === undefined ? 'no Location' : resolveLocation(location, url);
      throw new FetchError('redirect', `${url}: redirected (HTTP ${statusCode}) to ${target}; redirects are not followed`);
    }
    if (!REPRESENTATION_STATUSES.has(statusCode)) throw new FetchError('http_status', `${url}: HTTP ${statusCode}`);
    const declared = Number(headerValue(headers['content-length']));
    if (declared > MAX_BODY_BYTES) throw tooLarge(url);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) throw tooLarge(url);
      chunks.push(chunk);
    }
    return parseJson(url, Buffer.concat(chunks));
  } catch (err) {
    if (err instanceof FetchError) throw err;
    throw new FetchError(isAbort(err) ? 'timeout' : 'network', `${url}: ${describe(err)}`);
  } finally {
    // Frees the connection when the body was not read to its end; undici reports that as an
    // "aborted" error event, which is expected here.
    if (!body.destroyed) body.on('error', () => undefined).destroy();
  }
}

function parseJson(url: string, bytes: Buffer): unknown {
  // RFC 8259 §8.1: a parser may ignore a byte order mark rather than treat it as an error.
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return JSON.parse(bytes.toString('utf8', start));
  } catch (err) {
    throw new FetchError('not_json', `${url}: the body is not JSON (${describe(err)})`);
  }
}

function tooLarge(url: string): FetchError {
  return new FetchError('too_large', `${url}: body larger than ${MAX_BODY_BYTES} bytes`);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function resolveLocation(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return JSON.stringify(location.slice(0, 200));
  }
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    if (isAbort(err)) return 'timed out';
    const code = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

import { Dispatcher, request } from 'undici';
import { IntrospectionClient } from '../../config/introspection-config';
import { InvalidAnswerError, IntrospectionAnswer, parseIntrospectionAnswer } from './introspection-answer';

/** Okta's answers are a few hundred bytes; anything past this is refused rather than buffered. */
const MAX_ANSWER_BYTES = 16 * 1024;

/** Why introspection failed, as a stable code: what a public probe may show (the message, with URLs, goes to the log). */
export type IntrospectionErrorCode =
  | 'timeout'
  | 'network'
  | 'http_status'
  | 'client_refused'
  | 'redirect'
  | 'too_large'
  | 'invalid_answer'
  | 'busy'
  | 'no_endpoint'
  | 'no_client'
  | 'shutting_down';

/** The issuer could not say whether the token is active: unreachable, too slow, or answered oddly. */
export class IntrospectionUnavailableError extends Error {
  override name = 'IntrospectionUnavailableError';
  constructor(
    readonly code: IntrospectionErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Too large to buffer; refused. */
class TooLargeError extends Error {}

/**
 * The headers and form parameters that authenticate `client` (RFC 7662 §2.1, RFC 6749 §2.3.1), built
 * once at start: the request path only adds the token.
 */
export interface ClientAuthentication {
  readonly headers: Readonly<Record<string, string>>;
  readonly form: ReadonlyArray<readonly [string, string]>;
}

export function clientAuthentication(client: IntrospectionClient): ClientAuthentication {
  switch (client.authMethod) {
    case 'client_secret_basic': {
      // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded,
      // so a ':' or '%' in either survives the trip.
      const credentials = `${formEncode(client.clientId)}:${formEncode(client.secret!.reveal())}`;
      return { headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` }, form: [] };
    }
    case 'client_secret_post':
      return { headers: {}, form: [['client_id', client.clientId], ['client_secret', client.secret!.reveal()]] };
    case 'none':
      // RFC 6749 §2.3 / RFC 7591 `none`: a public client names itself and proves nothing.
      return { headers: {}, form: [['client_id', client.clientId]] };
  }
}

/**
 * POSTs one token to the introspection endpoint (RFC 7662 §2.1) through `dispatcher` (undici, kept-alive
 * connections: a fetch() costs about twice the CPU per call) and returns the parsed answer. The
 * caller's signal is its deadline; it is enforced here as well, since Node has lost the link to a
 * signal after a garbage collection before (nodejs/node#55428). Redirects are not followed: that
 * would hand the token to another URL. Throws IntrospectionUnavailableError, whose message never
 * holds the token or the client secret.
 */
export function requestIntrospection(
  endpoint: string,
  auth: ClientAuthentication,
  token: string,
  dispatcher: Dispatcher,
  signal: AbortSignal,
): Promise<IntrospectionAnswer> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new IntrospectionUnavailableError('timeout', `${endpoint}: timed out`));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    post(endpoint, auth, token, dispatcher, signal)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function post(
  endpoint: string,
  auth: ClientAuthentication,
  token: string,
  dispatcher: Dispatcher,
  signal: AbortSignal,
): Promise<IntrospectionAnswer> {
  const body = new URLSearchParams([['token', token], ['token_type_hint', 'access_token'], ...auth.form] as [string, string][]);
  let res: Dispatcher.ResponseData;
  try {
    res = await request(endpoint, {
      method: 'POST',
      dispatcher,
      signal,
      headers: { ...auth.headers, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  } catch (err) {
    const timedOut = describe(err) === 'timed out';
    throw new IntrospectionUnavailableError(timedOut ? 'timeout' : 'network', `${endpoint}: ${describe(err)}`);
  }
  // A body given up on (too large, a refusal) is destroyed, which undici reports as an 'error' event:
  // heard here so it can never become an uncaught exception; reading still sees every error.
  res.body.on('error', () => undefined);
  if (res.statusCode !== 200) {
    // 3xx included: a redirect is not followed (it would send the token elsewhere).
    const detail = res.statusCode === 401 || res.statusCode === 400 ? await errorCode(res) : '';
    res.body.destroy();
    const code =
      res.statusCode >= 300 && res.statusCode < 400
        ? 'redirect'
        : res.statusCode === 401 || detail === ' invalid_client'
          ? 'client_refused'
          : 'http_status';
    throw new IntrospectionUnavailableError(code, `${endpoint}: HTTP ${res.statusCode}${detail}`);
  }
  try {
    return parseIntrospectionAnswer(await readJson(res));
  } catch (err) {
    res.body.destroy();
    if (err instanceof InvalidAnswerError) throw new IntrospectionUnavailableError('invalid_answer', `${endpoint}: invalid answer (${err.message})`);
    if (err instanceof TooLargeError) throw new IntrospectionUnavailableError('too_large', `${endpoint}: ${err.message}`);
    if (err instanceof SyntaxError) throw new IntrospectionUnavailableError('invalid_answer', `${endpoint}: not JSON`);
    const timedOut = describe(err) === 'timed out';
    throw new IntrospectionUnavailableError(timedOut ? 'timeout' : 'network', `${endpoint}: ${describe(err)}`);
  }
}

async function readJson(res: Dispatcher.ResponseData): Promise<unknown> {
  if (Number(res.headers['content-length']) > MAX_ANSWER_BYTES) throw new TooLargeError(`answer larger than ${MAX_ANSWER_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).byteLength;
    if (size > MAX_ANSWER_BYTES) throw new TooLargeError(`answer larger than ${MAX_ANSWER_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The OAuth error code of a refusal (`invalid_client`: this server's credentials are wrong), so the
 * log says what to fix. Only a short code made of safe characters is kept.
 */
async function errorCode(res: Dispatcher.ResponseData): Promise<string> {
  try {
    const text = await readText(res.body, 1024);
    const code = (JSON.parse(text) as { error?: unknown }).error;
    return typeof code === 'string' && /^[\w.-]{1,64}$/.test(code) ? ` ${code}` : '';
  } catch {
    return '';
  }
}

async function readText(body: AsyncIterable<unknown>, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk as Buffer);
    if ((size += (chunk as Buffer).byteLength) >= maxBytes) break;
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, maxBytes);
}

/** application/x-www-form-urlencoded, as URLSearchParams writes a value. */
function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timed out';
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return cause ?? err.message;
  }
  return String(err);
}

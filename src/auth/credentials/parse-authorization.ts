import { InvalidRequestError } from '../errors/bearer-token.error';
import { AuthScheme, Credentials } from './credentials';

/**
 * Longest Authorization value read, in characters: Node's default limit for all header lines
 * together (16 KiB), so no request Node admits by default is refused for length alone, while a
 * server started with a larger --max-http-header-size still does bounded work here.
 */
export const MAX_AUTHORIZATION_LENGTH = 16 * 1024;

/** Lower-cased auth-scheme -> its canonical name (RFC 9110 §11.1: schemes are case-insensitive). */
const SCHEMES = new Map<string, AuthScheme>([
  ['bearer', 'Bearer'],
  ['dpop', 'DPoP'],
]);
/** No scheme we read is longer; a longer leading token is some other scheme. */
const LONGEST_SCHEME = 6;

const SP = 0x20;
const HTAB = 0x09;
const EQUALS = 0x3d;

/** RFC 9110 §5.6.2 tchar: what an auth-scheme is made of. */
const isTchar = (c: number) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c));

/**
 * RFC 6750 §2.1 b64token before its `=` padding: ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/".
 * Sticky, one character class and nothing after it: the match runs forward from `lastIndex` and
 * stops at the first other character, reading each once; no input can make it backtrack. It is the
 * token's one pass, on every request (cache hits included): irregexp reads ~1 ns a character here,
 * a charCodeAt loop ~10 (77 µs for an 8 KB token, as much as its RSA signature check).
 */
const B64TOKEN = /[A-Za-z0-9\-._~+/]*/y;

/** The index after the b64token characters that start at `from`. */
function endOfB64token(header: string, from: number): number {
  B64TOKEN.lastIndex = from;
  B64TOKEN.test(header);
  return B64TOKEN.lastIndex;
}

/**
 * Parses an Authorization header as RFC 6750 §2.1 (and RFC 9449 §7.1, which has the same shape):
 * `scheme 1*SP b64token *( SP / HTAB )`, scheme case-insensitive. One left-to-right pass over at most
 * MAX_AUTHORIZATION_LENGTH characters: the scheme and the separators a character at a time, the
 * token with one sticky match of a single character class, so no input can make it backtrack.
 *
 * @param header the header as Node hands it over: a string, or every occurrence when read from
 *   `headersDistinct` (Node keeps only the first of repeated Authorization headers in `headers`).
 * @returns undefined when there is no Authorization header, or its scheme is neither Bearer nor DPoP
 *   (e.g. Basic): the request carries no credentials for this server (RFC 6750 §3.1, no error code).
 * @throws InvalidRequestError (400 invalid_request, reason `malformed_header`, RFC 6750 §3.1) when a
 *   Bearer or DPoP header is malformed: no token, more than one word, a character outside b64token,
 *   a tab or other separator instead of SP, longer than MAX_AUTHORIZATION_LENGTH, or the header
 *   sent more than once ("repeats the same parameter").
 */
export function parseAuthorization(header: string | string[] | undefined): Credentials | undefined {
  if (Array.isArray(header)) {
    if (header.length > 1) throw malformed('Authorization header sent more than once');
    header = header[0];
  }
  if (header === undefined || header === '') return undefined;

  let i = 0;
  while (i < header.length && i <= LONGEST_SCHEME && isTchar(header.charCodeAt(i))) i++;
  const scheme = i <= LONGEST_SCHEME ? SCHEMES.get(header.slice(0, i).toLowerCase()) : undefined;
  if (!scheme) return undefined;

  if (header.length > MAX_AUTHORIZATION_LENGTH) throw malformed(`longer than ${MAX_AUTHORIZATION_LENGTH} characters`);
  const afterScheme = i;
  while (header.charCodeAt(i) === SP) i++;
  if (i === afterScheme) throw malformed(i === header.length ? 'no token' : 'no space after the scheme');

  const start = i;
  i = endOfB64token(header, i);
  if (i === start) throw malformed(i === header.length ? 'no token' : 'a character outside b64token');
  while (header.charCodeAt(i) === EQUALS) i++;
  const end = i;

  while (header.charCodeAt(i) === SP || header.charCodeAt(i) === HTAB) i++;
  if (i !== header.length) throw malformed(i > end ? 'more than one word after the scheme' : 'a character outside b64token');
  return { scheme, token: header.slice(start, end) };
}

/** The cause goes to the log only; the client sees the fixed description. */
const malformed = (cause: string) => new InvalidRequestError('malformed_header', { cause });

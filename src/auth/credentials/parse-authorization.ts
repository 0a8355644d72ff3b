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

/** A character class as a table: one array read per character on the request path, not a chain of comparisons. */
function charClass(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
}
const DIGITS_AND_LETTERS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** RFC 9110 §5.6.2 tchar: what an auth-scheme is made of. */
const TCHAR = charClass(`${DIGITS_AND_LETTERS}!#$%&'*+-.^_\`|~`);
/** `c` is a UTF-16 code unit: anything past ASCII is not a tchar. */
const isTchar = (c: number) => c < 128 && TCHAR[c] === 1;
/**
 * RFC 6750 §2.1 b64token before its `=` padding (ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/"),
 * as a sticky run: one character class, nothing to backtrack into, so linear in the token's length;
 * the regular-expression engine scans a token several times faster than a loop over charCodeAt.
 */
const B64TOKEN_RUN = /[A-Za-z0-9\-._~+/]*/y;

/** Where the run of b64token characters that starts at `from` ends. */
function endOfB64token(header: string, from: number): number {
  B64TOKEN_RUN.lastIndex = from;
  B64TOKEN_RUN.test(header);
  return B64TOKEN_RUN.lastIndex;
}

/**
 * Parses an Authorization header as RFC 6750 §2.1 (and RFC 9449 §7.1, which has the same shape):
 * `scheme 1*SP b64token *( SP / HTAB )`, scheme case-insensitive. One left-to-right pass over at most
 * MAX_AUTHORIZATION_LENGTH characters (the token by one sticky character class), so no input can make it backtrack.
 *
 * @param header the header as Node hands it over: a string, or every occurrence when read from
 *   the raw header list (Node keeps only the first of repeated Authorization headers in `headers`).
 * @returns undefined when there is no Authorization header, or its scheme is neither Bearer nor DPoP
 *   (e.g. Basic): the request carries no credentials for this server (RFC 6750 §3.1, no error code).
 * @throws InvalidRequestError (400 invalid_request, reason `malformed_header`, RFC 6750 §3.1) when a
 *   Bearer or DPoP header is malformed: no token, more than one word, a character outside b64token,
 *   a tab or other separator instead of SP, longer than MAX_AUTHORIZATION_LENGTH, or the header
 *   sent more than once ("repeats the same parameter"). Its `scheme` is the scheme the header was
 *   sent with (of every repeated header when they agree), so the refusal's challenge can be that
 *   scheme's (RFC 9449 §7.1).
 */
export function parseAuthorization(header: string | string[] | undefined): Credentials | undefined {
  if (Array.isArray(header)) {
    if (header.length > 1) throw malformed('Authorization header sent more than once', sharedScheme(header));
    header = header[0];
  }
  if (header === undefined || header === '') return undefined;

  let i = endOfScheme(header);
  const scheme = schemeUpTo(header, i);
  if (!scheme) return undefined;

  if (header.length > MAX_AUTHORIZATION_LENGTH) throw malformed(`longer than ${MAX_AUTHORIZATION_LENGTH} characters`, scheme);
  const afterScheme = i;
  while (header.charCodeAt(i) === SP) i++;
  if (i === afterScheme) throw malformed(i === header.length ? 'no token' : 'no space after the scheme', scheme);

  const start = i;
  i = endOfB64token(header, i);
  if (i === start) throw malformed(i === header.length ? 'no token' : 'a character outside b64token', scheme);
  while (header.charCodeAt(i) === EQUALS) i++;
  const end = i;

  while (header.charCodeAt(i) === SP || header.charCodeAt(i) === HTAB) i++;
  if (i !== header.length) throw malformed(i > end ? 'more than one word after the scheme' : 'a character outside b64token', scheme);
  return { scheme, token: header.slice(start, end) };
}

/** Where the leading auth-scheme token ends; reads LONGEST_SCHEME + 1 characters at most. */
function endOfScheme(header: string): number {
  let i = 0;
  while (i < header.length && i <= LONGEST_SCHEME && isTchar(header.charCodeAt(i))) i++;
  return i;
}

/** The scheme the header's first `end` characters name, when it is one we read. */
const schemeUpTo = (header: string, end: number): AuthScheme | undefined =>
  end <= LONGEST_SCHEME ? SCHEMES.get(header.slice(0, end).toLowerCase()) : undefined;

/** Repeated headers that all use one scheme were sent with it (RFC 9449 §7.1); mixed ones with none in particular. */
function sharedScheme(headers: readonly string[]): AuthScheme | undefined {
  const first = schemeUpTo(headers[0], endOfScheme(headers[0]));
  return headers.every((h) => schemeUpTo(h, endOfScheme(h)) === first) ? first : undefined;
}

/**
 * The cause goes to the log only; the client sees the fixed description. The scheme picks the
 * challenge (RFC 9449 §7.1): the guard leaves no credentials on the request when this throws.
 */
const malformed = (cause: string, scheme: AuthScheme | undefined) => new InvalidRequestError('malformed_header', { cause }, scheme);

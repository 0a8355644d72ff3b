import { InvalidRequestError } from '../errors/bearer-token.error';
import { MAX_AUTHORIZATION_LENGTH, parseAuthorization } from './parse-authorization';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

describe('parseAuthorization (RFC 6750 §2.1)', () => {
  it.each<[string, string | string[], string, string]>([
    ['a Bearer header', `Bearer ${JWT}`, 'Bearer', JWT],
    ['a lowercase scheme', `bearer ${JWT}`, 'Bearer', JWT],
    ['a mixed-case scheme', `bEaReR ${JWT}`, 'Bearer', JWT],
    ['several spaces (1*SP)', `Bearer    ${JWT}`, 'Bearer', JWT],
    ['trailing spaces and tabs', `Bearer ${JWT} \t `, 'Bearer', JWT],
    ['every b64token character and padding', 'Bearer aZ09-._~+/==', 'Bearer', 'aZ09-._~+/=='],
    ['a DPoP header (RFC 9449 §7.1)', `DPoP ${JWT}`, 'DPoP', JWT],
    ['a lowercase DPoP scheme', `dpop ${JWT}`, 'DPoP', JWT],
    ['one header in an array', [`Bearer ${JWT}`], 'Bearer', JWT],
    ['a token exactly at the length cap', `Bearer ${'A'.repeat(MAX_AUTHORIZATION_LENGTH - 7)}`, 'Bearer', 'A'.repeat(MAX_AUTHORIZATION_LENGTH - 7)],
  ])('reads %s', (_, header, scheme, token) => {
    expect(parseAuthorization(header)).toEqual({ scheme, token });
  });

  it.each<[string, string | string[] | undefined]>([
    ['no header', undefined],
    ['no header in an array', []],
    ['an empty header', ''],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a scheme that starts with Bearer', `Bearerx ${JWT}`],
    ['a scheme that starts with DPoP', `DPoPx ${JWT}`],
    ['a token without a scheme', JWT],
    ['16,000 letters and no space', 'A'.repeat(16_000)],
    ['a huge header of another scheme', `Negotiate ${'A'.repeat(2 * MAX_AUTHORIZATION_LENGTH)}`],
  ])('finds no credentials in %s', (_, header) => {
    expect(parseAuthorization(header)).toBeUndefined();
  });

  it.each<[string, string | string[], string, 'Bearer' | 'DPoP' | undefined]>([
    ['the scheme alone', 'Bearer', 'no token', 'Bearer'],
    ['the scheme and spaces', 'Bearer   ', 'no token', 'Bearer'],
    ['DPoP alone', 'DPoP', 'no token', 'DPoP'],
    ['a trailing word', `Bearer ${JWT} trailing`, 'more than one word after the scheme', 'Bearer'],
    ['two tokens', `Bearer ${JWT} ${JWT}`, 'more than one word after the scheme', 'Bearer'],
    ['a tab between words', `Bearer ${JWT}\tx`, 'more than one word after the scheme', 'Bearer'],
    ['a tab after the scheme', `Bearer\t${JWT}`, 'no space after the scheme', 'Bearer'],
    ['a comma after the scheme', `Bearer,${JWT}`, 'no space after the scheme', 'Bearer'],
    ['a space before padding', 'Bearer abc =', 'more than one word after the scheme', 'Bearer'],
    ['characters after padding', 'Bearer abc=def', 'a character outside b64token', 'Bearer'],
    ['padding alone', 'Bearer ==', 'a character outside b64token', 'Bearer'],
    ['a percent sign', 'Bearer %%%.e30.sig', 'a character outside b64token', 'Bearer'],
    ['a quoted token', `Bearer "${JWT}"`, 'a character outside b64token', 'Bearer'],
    ['an auth-param instead of a token', 'Bearer token=abc', 'a character outside b64token', 'Bearer'],
    ['non-ASCII (latin-1) characters', 'Bearer \xfc\xe9.\xff.\x80', 'a character outside b64token', 'Bearer'],
    ['non-ASCII after a valid prefix', `Bearer ${JWT}\u00e9`, 'a character outside b64token', 'Bearer'],
    ['a NUL character', `Bearer ${JWT}\u0000`, 'a character outside b64token', 'Bearer'],
    ['a line break', `Bearer ${JWT}\r\nX-Evil: 1`, 'a character outside b64token', 'Bearer'],
    ['two headers joined with a comma', `Bearer ${JWT}, Bearer ${JWT}`, 'a character outside b64token', 'Bearer'],
    ['two headers', [`Bearer ${JWT}`, `Bearer ${JWT}`], 'Authorization header sent more than once', 'Bearer'],
    ['a Bearer and a Basic header', [`Bearer ${JWT}`, 'Basic dXNlcjpwYXNz'], 'Authorization header sent more than once', undefined],
    ['DPoP and two words', 'DPoP a b', 'more than one word after the scheme', 'DPoP'],
    ['a tab after DPoP', `DPoP\t${JWT}`, 'no space after the scheme', 'DPoP'],
    ['a quoted DPoP token', `dpop "${JWT}"`, 'a character outside b64token', 'DPoP'],
    ['two DPoP headers', [`DPoP ${JWT}`, `DPoP ${JWT}`], 'Authorization header sent more than once', 'DPoP'],
    ['a DPoP and a Bearer header', [`DPoP ${JWT}`, `Bearer ${JWT}`], 'Authorization header sent more than once', undefined],
    ['two headers of another scheme', ['Basic dXNlcjpwYXNz', 'Basic dXNlcjpwYXNz'], 'Authorization header sent more than once', undefined],
    ['a token over the length cap', `Bearer ${'A'.repeat(MAX_AUTHORIZATION_LENGTH)}`, `longer than ${MAX_AUTHORIZATION_LENGTH} characters`, 'Bearer'],
    ['16,000 spaces and a word', `Bearer${' '.repeat(16_000)}A B`, 'more than one word after the scheme', 'Bearer'],
    ['16,000 words', `Bearer ${'A '.repeat(8_000)}B`, 'more than one word after the scheme', 'Bearer'],
  ])('refuses %s with 400 invalid_request, naming the scheme the challenge must use (RFC 9449 §7.1)', (_, header, cause, scheme) => {
    let thrown: unknown;
    try {
      parseAuthorization(header);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InvalidRequestError);
    expect(thrown).toMatchObject({ status: 400, errorCode: 'invalid_request', reason: 'malformed_header', context: { cause } });
    expect((thrown as InvalidRequestError).scheme).toBe(scheme);
  });

  it('reads the scheme character by character and the token in one regular-expression run, never past the cap', () => {
    // Counted, not timed: the old extractor's regular expression re-read the header once per start
    // position. The token is one run of a single character class with nothing after it in the
    // pattern, so the engine never backtracks: one test() over the token, linear in its length.
    const longest = `Bearer ${'A'.repeat(MAX_AUTHORIZATION_LENGTH - 9)}=\t`;
    const runs = countRegExpRuns(() => parseAuthorization(longest));
    expect(runs).toBe(1);
    const reads = countCharReads(() => parseAuthorization(longest), longest);
    expect(reads).toBeGreaterThan(0);
    expect(reads).toBeLessThanOrEqual(16);
    const overCap = `Bearer ${'A'.repeat(1_000_000)}`;
    const overCapReads = countCharReads(() => expect(() => parseAuthorization(overCap)).toThrow(InvalidRequestError), overCap);
    expect(overCapReads).toBeGreaterThan(0);
    expect(overCapReads).toBeLessThanOrEqual(10);
    expect(countRegExpRuns(() => expect(() => parseAuthorization(overCap)).toThrow(InvalidRequestError))).toBe(0);
  });
});

/** How many regular-expression matches `fn` runs (RegExp.prototype.exec underlies test and match). */
function countRegExpRuns(fn: () => void): number {
  const original = RegExp.prototype.exec;
  let runs = 0;
  RegExp.prototype.exec = function (this: RegExp, input: string) {
    runs++;
    return original.call(this, input);
  };
  try {
    fn();
  } finally {
    RegExp.prototype.exec = original;
  }
  return runs;
}

/** How often `fn` reads a character of `header` (charCodeAt), spying on the string's prototype. */
function countCharReads(fn: () => void, header: string): number {
  const original = String.prototype.charCodeAt;
  let reads = 0;
  String.prototype.charCodeAt = function (this: string, index: number) {
    if (this === header) reads++;
    return original.call(this, index);
  };
  try {
    fn();
  } finally {
    String.prototype.charCodeAt = original;
  }
  return reads;
}

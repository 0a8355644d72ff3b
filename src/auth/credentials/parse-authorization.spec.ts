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

  it.each<[string, string | string[], string]>([
    ['the scheme alone', 'Bearer', 'no token'],
    ['the scheme and spaces', 'Bearer   ', 'no token'],
    ['DPoP alone', 'DPoP', 'no token'],
    ['a trailing word', `Bearer ${JWT} trailing`, 'more than one word after the scheme'],
    ['two tokens', `Bearer ${JWT} ${JWT}`, 'more than one word after the scheme'],
    ['a tab between words', `Bearer ${JWT}\tx`, 'more than one word after the scheme'],
    ['a tab after the scheme', `Bearer\t${JWT}`, 'no space after the scheme'],
    ['a comma after the scheme', `Bearer,${JWT}`, 'no space after the scheme'],
    ['a space before padding', 'Bearer abc =', 'more than one word after the scheme'],
    ['characters after padding', 'Bearer abc=def', 'a character outside b64token'],
    ['padding alone', 'Bearer ==', 'a character outside b64token'],
    ['a percent sign', 'Bearer %%%.e30.sig', 'a character outside b64token'],
    ['a quoted token', `Bearer "${JWT}"`, 'a character outside b64token'],
    ['an auth-param instead of a token', 'Bearer token=abc', 'a character outside b64token'],
    ['non-ASCII (latin-1) characters', 'Bearer \xfc\xe9.\xff.\x80', 'a character outside b64token'],
    ['non-ASCII after a valid prefix', `Bearer ${JWT}\u00e9`, 'a character outside b64token'],
    ['a NUL character', `Bearer ${JWT}\u0000`, 'a character outside b64token'],
    ['a line break', `Bearer ${JWT}\r\nX-Evil: 1`, 'a character outside b64token'],
    ['two headers joined with a comma', `Bearer ${JWT}, Bearer ${JWT}`, 'a character outside b64token'],
    ['two headers', [`Bearer ${JWT}`, `Bearer ${JWT}`], 'Authorization header sent more than once'],
    ['a Bearer and a Basic header', [`Bearer ${JWT}`, 'Basic dXNlcjpwYXNz'], 'Authorization header sent more than once'],
    ['a token over the length cap', `Bearer ${'A'.repeat(MAX_AUTHORIZATION_LENGTH)}`, `longer than ${MAX_AUTHORIZATION_LENGTH} characters`],
    ['16,000 spaces and a word', `Bearer${' '.repeat(16_000)}A B`, 'more than one word after the scheme'],
    ['16,000 words', `Bearer ${'A '.repeat(8_000)}B`, 'more than one word after the scheme'],
  ])('refuses %s with 400 invalid_request', (_, header, cause) => {
    let thrown: unknown;
    try {
      parseAuthorization(header);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InvalidRequestError);
    expect(thrown).toMatchObject({ status: 400, errorCode: 'invalid_request', reason: 'malformed_header', context: { cause } });
  });

  it('reads the header in one pass (the token in one sticky match), and never past the cap', () => {
    // Counted, not timed: the old extractor's regular expression re-read the header once per start position.
    const longest = `Bearer ${'A'.repeat(MAX_AUTHORIZATION_LENGTH - 7)}`;
    const reads = countReads(() => parseAuthorization(longest), longest);
    expect(reads.chars).toBeLessThanOrEqual(16);
    expect(reads.matches).toBe(1);
    const overCap = `Bearer ${'A'.repeat(1_000_000)}`;
    const overCapReads = countReads(() => expect(() => parseAuthorization(overCap)).toThrow(InvalidRequestError), overCap);
    expect(overCapReads.chars).toBeGreaterThan(0);
    expect(overCapReads.chars).toBeLessThanOrEqual(10);
    expect(overCapReads.matches).toBe(0);
  });

  it('finds where a token ends however it ends, also after a header that failed', () => {
    expect(() => parseAuthorization(`Bearer ${JWT}%`)).toThrow(InvalidRequestError);
    expect(parseAuthorization(`Bearer ${JWT}== `)).toEqual({ scheme: 'Bearer', token: `${JWT}==` });
    expect(parseAuthorization('Bearer a')).toEqual({ scheme: 'Bearer', token: 'a' });
  });
});

/**
 * How often `fn` reads a character of `header` (charCodeAt) and runs a regular expression over it,
 * spying on the prototypes.
 */
function countReads(fn: () => void, header: string): { chars: number; matches: number } {
  const charCodeAt = String.prototype.charCodeAt;
  const test = RegExp.prototype.test;
  const reads = { chars: 0, matches: 0 };
  String.prototype.charCodeAt = function (this: string, index: number) {
    if (this === header) reads.chars++;
    return charCodeAt.call(this, index);
  };
  RegExp.prototype.test = function (this: RegExp, input: string) {
    if (input === header) reads.matches++;
    return test.call(this, input);
  };
  try {
    fn();
  } finally {
    String.prototype.charCodeAt = charCodeAt;
    RegExp.prototype.test = test;
  }
  return reads;
}

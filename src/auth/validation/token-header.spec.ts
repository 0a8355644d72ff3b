import { BearerTokenError } from '../errors/bearer-token.error';
import { RefusalReason } from '../errors/refusal-reason';
import { CheckedHeaders } from './checked-headers';
import { checkTokenHeader, readTokenHeader, TokenHeader } from './token-header';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const token = (header: unknown) => `${b64(header)}.${b64({ sub: 'x' })}.c2ln`;

function refusalOf(fn: () => void): RefusalReason {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BearerTokenError);
    return (err as BearerTokenError).reason;
  }
  throw new Error('expected a refusal');
}

describe('readTokenHeader', () => {
  it('reads alg, kid and typ', () => {
    expect(readTokenHeader(token({ alg: 'RS256', kid: 'k1', typ: 'JWT' }))).toMatchObject({ alg: 'RS256', kid: 'k1', typ: 'JWT' });
  });

  it.each<[string, string]>([
    ['no dot', 'abc'],
    ['an empty header', '.abc.def'],
    ['a header that is not base64url', 'eyJ+Ymc.abc.def'],
    ['a header that is not JSON', `${b64('not json')}.a.b`],
    ['a JSON array header', token([1, 2])],
    ['a JSON null header', token(null)],
    ['a header without alg', token({ kid: 'k1' })],
    ['a non-string alg', token({ alg: 256 })],
    ['a non-string kid', token({ alg: 'RS256', kid: 7 })],
    ['a non-string typ', token({ alg: 'RS256', typ: {} })],
    ['a header over 1 KB', token({ alg: 'RS256', kid: 'k'.repeat(2000) })],
  ])('refuses %s as malformed', (_, raw) => expect(refusalOf(() => readTokenHeader(raw))).toBe('malformed'));
});

describe('checkTokenHeader', () => {
  const allowed = new Set(['RS256']);
  const check = (header: Partial<TokenHeader> & Record<string, unknown>) =>
    checkTokenHeader({ alg: 'RS256', ...header } as TokenHeader, allowed);

  it('accepts an Okta access token header (no typ)', () => expect(() => check({ kid: 'k1' })).not.toThrow());
  it.each(['JWT', 'jwt', 'application/jwt', 'Application/JWT', 'at+jwt', 'AT+JWT', 'application/at+jwt'])('accepts typ %s', (typ) =>
    expect(() => check({ typ })).not.toThrow(),
  );
  it.each(['id_token+jwt', 'JOSE', 'dpop+jwt', 'logout+jwt', 'secevent+jwt', 'application/id_token+jwt', 'application/jose'])('refuses typ %s', (typ) =>
    expect(refusalOf(() => check({ typ }))).toBe('wrong_type'),
  );
  it.each(['none', 'HS256', 'HS512', 'ES256', 'PS256', 'rs256'])('refuses alg %s when only RS256 is allowed', (alg) =>
    expect(refusalOf(() => check({ alg }))).toBe('alg_not_allowed'),
  );
  it('refuses any crit header', () => expect(refusalOf(() => check({ crit: ['exp'] }))).toBe('unsupported_header'));
  it('ignores jku, x5u, jwk and x5c (keys come from the issuer only)', () =>
    expect(() => check({ jku: 'https://evil/keys', x5u: 'https://evil/cert', jwk: { kty: 'RSA' }, x5c: ['x'] })).not.toThrow());
});

describe('CheckedHeaders', () => {
  const headers = () => new CheckedHeaders(new Set(['RS256']));
  const token = (header: unknown, sub = 'x') => `${b64(header)}.${b64({ sub })}.c2ln`;

  it('reads a header once for every token that carries it', () => {
    const checked = headers();
    const first = checked.of(token({ alg: 'RS256', kid: 'k1' }, 'alice'));
    expect(first).toEqual({ alg: 'RS256', kid: 'k1' });
    expect(checked.of(token({ alg: 'RS256', kid: 'k1' }, 'bob'))).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(checked.of(token({ alg: 'RS256', kid: 'k2' }))).toEqual({ alg: 'RS256', kid: 'k2' });
  });

  it.each<[string, unknown, RefusalReason]>([
    ['an algorithm not allowed', { alg: 'HS256', kid: 'k1' }, 'alg_not_allowed'],
    ['a critical extension', { alg: 'RS256', crit: ['b64'] }, 'unsupported_header'],
    ['an ID token type', { alg: 'RS256', typ: 'id+jwt' }, 'wrong_type'],
    ['no alg', { kid: 'k1' }, 'malformed'],
  ])('refuses %s every time: a refused header is never kept', (_, header, reason) => {
    const checked = headers();
    expect(refusalOf(() => checked.of(token(header)))).toBe(reason);
    expect(refusalOf(() => checked.of(token(header)))).toBe(reason);
  });

  it('refuses what is not a header at all', () => {
    const checked = headers();
    expect(refusalOf(() => checked.of('no-dots-here'))).toBe('malformed');
    expect(refusalOf(() => checked.of('.e30.c2ln'))).toBe('malformed');
  });
});

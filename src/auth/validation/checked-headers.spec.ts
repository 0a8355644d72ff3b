import { BearerTokenError } from '../errors/bearer-token.error';
import { RefusalReason } from '../errors/refusal-reason';
import { CheckedHeaders } from './checked-headers';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const token = (header: unknown, sub = 'x') => `${b64(header)}.${b64({ sub })}.c2ln`;

function refusalOf(fn: () => unknown): RefusalReason {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BearerTokenError);
    return (err as BearerTokenError).reason;
  }
  throw new Error('expected a refusal');
}

describe('CheckedHeaders', () => {
  const headers = () => new CheckedHeaders(new Set(['RS256']));

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

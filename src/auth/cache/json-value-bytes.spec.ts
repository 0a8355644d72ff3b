import { forceGc } from '../../../test/support/force-gc';
import { jsonValueBytes } from './json-value-bytes';

const BASE = {
  ver: 1,
  iss: 'https://example.okta.com/oauth2/default',
  aud: 'api://default',
  iat: 1764000000,
  exp: 1764003600,
  cid: '0oa-spa',
  uid: '00u-user',
  scp: ['openid', 'profile', 'email'],
  sub: 'user@example.com',
};

/** Claims shapes an issuer may send, each made distinct by `i` as real tokens are (no shared strings). */
const SHAPES: Record<string, (i: number) => unknown> = {
  'an Okta access token': (i) => ({ ...BASE, jti: `AT.${i}` }),
  'a 12 KB ASCII claim (a 16 KiB token)': (i) => ({ ...BASE, jti: `AT.${i}`, pad: `${i}`.padEnd(12_000, 'x') }),
  'a 6,000-character non-Latin-1 claim': (i) => ({ ...BASE, jti: `AT.${i}`, name: `${i}`.padEnd(6_000, '名') }),
  '200 scopes': (i) => ({ ...BASE, scp: Array.from({ length: 200 }, (_, k) => `scope-${k}-${i}`) }),
  '300 small claims': (i) => ({ ...BASE, ...Object.fromEntries(Array.from({ length: 300 }, (_, k) => [`c${k}-${i}`, k])) }),
  '500 fractional numbers': (i) => ({ ...BASE, n: Array.from({ length: 500 }, (_, k) => k + i + 0.5) }),
  '300 empty objects': (i) => ({ ...BASE, jti: `AT.${i}`, o: Array.from({ length: 300 }, () => ({})) }),
  '500 empty arrays': (i) => ({ ...BASE, jti: `AT.${i}`, a: Array.from({ length: 500 }, () => []) }),
};

/** Heap bytes per value held, of the values parsed from `texts`, measured after full collections. */
function heapPerValue(texts: string[]): number {
  forceGc();
  const before = process.memoryUsage().heapUsed;
  const held = texts.map((text) => JSON.parse(text) as unknown);
  forceGc();
  const after = process.memoryUsage().heapUsed;
  expect(held).toHaveLength(texts.length);
  return (after - before) / texts.length;
}

describe('jsonValueBytes', () => {
  it('counts strings at two bytes a character, plus a fixed overhead', () => {
    expect(jsonValueBytes('x'.repeat(1000)) - jsonValueBytes('')).toBe(2000);
  });

  it('grows linearly with the members of an array or object', () => {
    const of = (n: number) => jsonValueBytes(Array.from({ length: n }, () => 'openid'));
    expect(of(200) - of(100)).toBe(of(100) - of(0));
    const claims = (n: number) => jsonValueBytes(Object.fromEntries(Array.from({ length: n }, (_, k) => [`c${String(k).padStart(3, '0')}`, k])));
    expect(claims(20) - claims(10)).toBe(claims(10) - claims(0));
  });

  it('counts nothing twice and misses no member', () => {
    expect(jsonValueBytes({ a: [1, 'b'], c: null })).toBe(
      jsonValueBytes({}) + jsonValueBytes('a') + jsonValueBytes([1, 'b']) + jsonValueBytes('c') + jsonValueBytes(null),
    );
  });

  // The bound is only as good as the estimate: it must not be below what V8 really holds.
  it.each(Object.entries(SHAPES))('is at least the heap V8 holds for %s', (_, shape) => {
    const texts = Array.from({ length: 1000 }, (_, i) => JSON.stringify(shape(i)));
    const estimate = jsonValueBytes(JSON.parse(texts[0]));
    expect(heapPerValue(texts)).toBeLessThanOrEqual(estimate);
  });
});

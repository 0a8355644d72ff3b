import { AccessTokenClaims, isScopeClaim, scopesOf } from './access-token-claims';

const base = { iss: 'i', aud: 'a', exp: 1 };
const scopes = (extra: Record<string, unknown>) => [...scopesOf({ ...base, ...extra } as AccessTokenClaims)].sort();

describe('scopesOf', () => {
  it("reads Okta's scp array", () => expect(scopes({ scp: ['openid', 'messages:read'] })).toEqual(['messages:read', 'openid']));
  it("reads Entra ID's scp string", () => expect(scopes({ scp: 'access_as_user User.Read' })).toEqual(['User.Read', 'access_as_user']));
  it('reads a space-separated scope string', () => expect(scopes({ scope: 'openid  messages:read' })).toEqual(['messages:read', 'openid']));
  it('reads a scope array (Spring Authorization Server)', () => expect(scopes({ scope: ['openid', 'messages:read'] })).toEqual(['messages:read', 'openid']));
  it('reads both, in either shape', () => {
    expect(scopes({ scp: ['a'], scope: 'b' })).toEqual(['a', 'b']);
    expect(scopes({ scp: 'a c', scope: ['b'] })).toEqual(['a', 'b', 'c']);
  });
  it('is empty without either, or with empty ones', () => {
    expect(scopes({})).toEqual([]);
    expect(scopes({ scp: '', scope: [] })).toEqual([]);
    expect(scopes({ scp: [''], scope: '   ' })).toEqual([]);
  });
  it('grants nothing for other shapes', () => expect(scopes({ scp: 1, scope: { a: 1 } })).toEqual([]));
  it('does not split an array entry', () => expect(scopes({ scp: ['a b'] })).toEqual(['a b']));
});

describe('isScopeClaim', () => {
  it.each([['a b'], [''], [[]], [['a', 'b']], [['']]])('accepts %j', (value) => expect(isScopeClaim(value)).toBe(true));
  it.each([[1], [true], [null], [{}], [{ 0: 'a' }], [['a', 1]], [['a', null]], [[['a']]]])('refuses %j', (value) =>
    expect(isScopeClaim(value)).toBe(false),
  );
});

import { AccessTokenClaims, scopesOf } from './access-token-claims';

const base = { iss: 'i', aud: 'a', exp: 1 };
const scopes = (extra: Record<string, unknown>) => [...scopesOf({ ...base, ...extra } as AccessTokenClaims)].sort();

describe('scopesOf', () => {
  it("reads Okta's scp array", () => expect(scopes({ scp: ['openid', 'messages:read'] })).toEqual(['messages:read', 'openid']));
  it('reads a space-separated scope string', () => expect(scopes({ scope: 'openid  messages:read' })).toEqual(['messages:read', 'openid']));
  it('reads both', () => expect(scopes({ scp: ['a'], scope: 'b' })).toEqual(['a', 'b']));
  it('is empty without either', () => expect(scopes({})).toEqual([]));
  it('ignores non-string entries and wrong types', () => {
    expect(scopes({ scp: ['a', 1, null] })).toEqual(['a']);
    expect(scopes({ scp: 'a b', scope: ['c'] })).toEqual([]);
  });
  it('does not split an scp entry', () => expect(scopes({ scp: ['a b'] })).toEqual(['a b']));
});

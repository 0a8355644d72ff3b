import { AccessTokenClaims } from '../access-token-claims';
import { unmetRequirements } from './unmet-requirements';

const NOW = 1_800_000_000;
const TOLERANCE = 30;
const claims = (extra: Record<string, unknown>) =>
  ({ iss: 'https://issuer', aud: 'api://default', exp: NOW + 60, ...extra }) as AccessTokenClaims;
const unmet = (extra: Record<string, unknown>, requirement: { acr?: string[]; maxAge?: number }) =>
  unmetRequirements(claims(extra), requirement, NOW, TOLERANCE);

describe('unmetRequirements (RFC 9470)', () => {
  const TWO_FA = 'urn:okta:loa:2fa:any';

  it('meets an acr requirement with one of the values, exactly', () => {
    expect(unmet({ acr: 'phr' }, { acr: [TWO_FA, 'phr'] })).toEqual([]);
    for (const acr of [`${TWO_FA}:ifpossible`, TWO_FA.toUpperCase(), 'urn:okta:loa:2fa', undefined, null, 7, [TWO_FA]]) {
      expect(unmet({ acr }, { acr: [TWO_FA] })).toEqual(['acr']);
    }
  });

  it('meets maxAge up to maxAge plus the tolerance, and never without a numeric auth_time', () => {
    expect(unmet({ auth_time: NOW - 300 - TOLERANCE }, { maxAge: 300 })).toEqual([]);
    expect(unmet({ auth_time: NOW - 300 - TOLERANCE - 1 }, { maxAge: 300 })).toEqual(['max_age']);
    expect(unmet({}, { maxAge: 300 })).toEqual(['max_age']);
    expect(unmet({ auth_time: String(NOW) }, { maxAge: 300 })).toEqual(['max_age']);
    expect(unmet({ auth_time: Number.NaN }, { maxAge: 300 })).toEqual(['max_age']);
  });

  it('names both, acr first, and nothing that was not required', () => {
    expect(unmet({}, { acr: [TWO_FA], maxAge: 10 })).toEqual(['acr', 'max_age']);
    expect(unmet({}, {})).toEqual([]);
  });

  it('reads any claims object, such as an introspection answer', () => {
    const introspected = { active: true, acr: TWO_FA, auth_time: NOW - 5 } as unknown as AccessTokenClaims;
    expect(unmetRequirements(introspected, { acr: [TWO_FA], maxAge: 60 }, NOW, 0)).toEqual([]);
  });
});

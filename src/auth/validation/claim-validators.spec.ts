import { OktaConfig } from '../../config/app-config';
import { AccessTokenClaims } from '../access-token-claims';
import { findClaimViolation } from './claim-validators';

const NOW = 1_800_000_000;
const ISSUER = 'https://example.okta.com/oauth2/default';
const config: OktaConfig = {
  issuer: ISSUER,
  audiences: ['api://default', 'api://other'],
  requiredScopes: [],
  clockToleranceSeconds: 30,
  algorithms: ['RS256'],
};
const claims = (overrides: Record<string, unknown> = {}): AccessTokenClaims =>
  ({ iss: ISSUER, aud: 'api://default', iat: NOW, exp: NOW + 3600, scp: ['openid'], ...overrides }) as AccessTokenClaims;
const check = (overrides: Record<string, unknown> = {}, cfg: Partial<OktaConfig> = {}) =>
  findClaimViolation(claims(overrides), { now: NOW, config: { ...config, ...cfg } });

describe('findClaimViolation', () => {
  it('accepts a well-formed Okta access token', () => expect(check()).toBeUndefined());

  describe('iss (exact)', () => {
    it('refuses another issuer', () => expect(check({ iss: 'https://evil.example.com/oauth2/default' })).toBe('wrong_issuer'));
    it('refuses a trailing slash', () => expect(check({ iss: `${ISSUER}/` })).toBe('wrong_issuer'));
    it('refuses another case', () => expect(check({ iss: ISSUER.toUpperCase() })).toBe('wrong_issuer'));
    it('refuses a missing iss', () => expect(check({ iss: undefined })).toBe('wrong_issuer'));
  });

  describe('aud (contains an expected audience)', () => {
    it('accepts any configured audience', () => expect(check({ aud: 'api://other' })).toBeUndefined());
    it('accepts an array holding one', () => expect(check({ aud: ['api://elsewhere', 'api://default'] })).toBeUndefined());
    it('refuses another audience', () => expect(check({ aud: 'api://elsewhere' })).toBe('wrong_audience'));
    it('refuses an array without one', () => expect(check({ aud: ['api://elsewhere', 'x'] })).toBe('wrong_audience'));
    it('refuses an empty array', () => expect(check({ aud: [] })).toBe('wrong_audience'));
    it('refuses a missing aud', () => expect(check({ aud: undefined })).toBe('wrong_audience'));
    it('refuses a prefix match', () => expect(check({ aud: 'api://def' })).toBe('wrong_audience'));
  });

  describe('exp (required)', () => {
    it('refuses a token without exp', () => expect(check({ exp: undefined })).toBe('missing_claim'));
    it('refuses a non-numeric exp', () => expect(check({ exp: `${NOW + 3600}` })).toBe('missing_claim'));
    it('refuses an expired token', () => expect(check({ exp: NOW - 31 })).toBe('expired'));
    it('refuses exp exactly at now minus the tolerance', () => expect(check({ exp: NOW - 30 })).toBe('expired'));
    it('accepts exp within the tolerance', () => expect(check({ exp: NOW - 29 })).toBeUndefined());
    it('honours a zero tolerance', () => expect(check({ exp: NOW }, { clockToleranceSeconds: 0 })).toBe('expired'));
  });

  describe('nbf', () => {
    it('is optional', () => expect(check({ nbf: undefined })).toBeUndefined());
    it('refuses a token not valid yet', () => expect(check({ nbf: NOW + 31 })).toBe('not_yet_valid'));
    it('accepts nbf within the tolerance', () => expect(check({ nbf: NOW + 30 })).toBeUndefined());
    it('refuses a non-numeric nbf', () => expect(check({ nbf: 'now' })).toBe('malformed'));
  });

  describe('iat (not in the future)', () => {
    it('is optional', () => expect(check({ iat: undefined })).toBeUndefined());
    it('refuses a token issued in the future', () => expect(check({ iat: NOW + 31 })).toBe('issued_in_future'));
    it('accepts iat within the tolerance', () => expect(check({ iat: NOW + 30 })).toBeUndefined());
    it('refuses a non-numeric iat', () => expect(check({ iat: null })).toBe('malformed'));
  });

  describe('cid / client_id / azp / appid (only when configured)', () => {
    const clientId = '0oaSPA';
    it('ignores the client when none is configured', () => expect(check({ cid: 'anyone', azp: 'other' })).toBeUndefined());
    it.each(['cid', 'client_id', 'azp', 'appid'])('accepts the configured client in %s', (name) =>
      expect(check({ [name]: clientId }, { clientId })).toBeUndefined(),
    );
    it.each(['cid', 'client_id', 'azp', 'appid'])('refuses another client in %s', (name) =>
      expect(check({ [name]: '0oaOther' }, { clientId })).toBe('wrong_client'),
    );
    it('accepts several names that agree (Auth0: azp and client_id)', () =>
      expect(check({ azp: clientId, client_id: clientId }, { clientId })).toBeUndefined());
    it('refuses a token whose names disagree, whichever comes first', () => {
      expect(check({ cid: clientId, azp: '0oaOther' }, { clientId })).toBe('wrong_client');
      expect(check({ cid: '0oaOther', client_id: clientId }, { clientId })).toBe('wrong_client');
    });
    it('refuses a non-string client', () => expect(check({ cid: ['0oaSPA'] }, { clientId })).toBe('wrong_client'));
    it('refuses a token naming no client', () => expect(check({}, { clientId })).toBe('wrong_client'));
  });

  describe('NumericDate (RFC 7519 §2: fractions allowed, strings not)', () => {
    it('accepts fractional exp, nbf and iat', () => expect(check({ exp: NOW + 0.5, nbf: NOW - 0.25, iat: NOW + 0.75 })).toBeUndefined());
    it('still compares fractions exactly', () => expect(check({ exp: NOW - 30.5 })).toBe('expired'));
    it('refuses numeric strings', () => {
      expect(check({ exp: `${NOW + 60}` })).toBe('missing_claim');
      expect(check({ nbf: `${NOW}` })).toBe('malformed');
      expect(check({ iat: `${NOW}` })).toBe('malformed');
    });
  });

  describe('scopes: a string or an array of strings, in scp or scope', () => {
    it.each<[string, unknown]>([
      ['scp array (Okta)', ['openid']],
      ['scp string (Entra ID)', 'access_as_user User.Read'],
      ['empty scp string', ''],
      ['empty scp array', []],
    ])('accepts %s', (_, scp) => expect(check({ scp })).toBeUndefined());
    it.each<[string, unknown]>([
      ['scope string (RFC 9068)', 'openid profile'],
      ['scope array (Spring Authorization Server)', ['openid', 'profile']],
    ])('accepts %s', (_, scope) => expect(check({ scp: undefined, scope })).toBeUndefined());
    it.each<[string, unknown]>([
      ['a number', 42],
      ['a boolean', true],
      ['null', null],
      ['an object', { openid: true }],
      ['an array holding a number', ['openid', 1]],
      ['an array holding null', [null]],
      ['a nested array', [['openid']]],
    ])('refuses %s in scp or scope', (_, value) => {
      expect(check({ scp: value })).toBe('malformed');
      expect(check({ scp: undefined, scope: value })).toBe('malformed');
    });
  });
});

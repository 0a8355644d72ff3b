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

  describe('cid / client_id (only when configured)', () => {
    it('ignores the client when none is configured', () => expect(check({ cid: 'anyone' })).toBeUndefined());
    it('accepts the configured cid', () => expect(check({ cid: '0oaSPA' }, { clientId: '0oaSPA' })).toBeUndefined());
    it('accepts the configured client_id', () => expect(check({ client_id: '0oaSPA' }, { clientId: '0oaSPA' })).toBeUndefined());
    it('refuses another cid', () => expect(check({ cid: '0oaOther' }, { clientId: '0oaSPA' })).toBe('wrong_client'));
    it('refuses another client_id', () => expect(check({ client_id: '0oaOther' }, { clientId: '0oaSPA' })).toBe('wrong_client'));
    it('refuses a token naming no client', () => expect(check({}, { clientId: '0oaSPA' })).toBe('wrong_client'));
  });

  describe('scopes are well-typed', () => {
    it('refuses a scp that is not an array', () => expect(check({ scp: 'openid' })).toBe('malformed'));
    it('refuses a scope that is not a string', () => expect(check({ scope: ['openid'] })).toBe('malformed'));
    it('accepts a scope string', () => expect(check({ scp: undefined, scope: 'openid profile' })).toBeUndefined());
  });
});

import { WWWAuthError } from '@okta/okta-auth-js';
import { loadAppConfig } from '../../config/load-app-config';
import { DpopNonceError, DpopProofError } from '../dpop/dpop-proof.error';
import { InsufficientScopeError, InvalidRequestError, InvalidTokenError, MissingTokenError } from './bearer-token.error';
import { InsufficientUserAuthenticationError } from './insufficient-user-authentication.error';
import { REFUSAL_DESCRIPTIONS } from './refusal-reason';
import { WwwAuthenticate } from './www-authenticate';

const config = (env: Record<string, string> = {}) =>
  loadAppConfig({ OKTA_ISSUER: 'https://example.okta.com/oauth2/default', PUBLIC_BASE_URL: 'https://api.example.com', ...env }, () => ({}));
const META = 'https://api.example.com/.well-known/oauth-protected-resource';

/** okta-auth-js 8's quoted-value pattern (lib/errors/WWWAuthError.ts): anything else breaks its parser. */
const OKTA_QUOTED_VALUE = /^[a-zA-Z0-9!#$%&'*+\-.,^_`|~ /:]+$/;

describe('WwwAuthenticate (RFC 6750 §3, RFC 9449 §7.1, RFC 9728 §5.1)', () => {
  it('challenges a request without credentials with both schemes while both are allowed', () => {
    expect(new WwwAuthenticate(config()).of(new MissingTokenError(), undefined)).toBe(
      `Bearer realm="api://default", resource_metadata="${META}", DPoP algs="ES256 RS256 PS256", resource_metadata="${META}"`,
    );
  });

  it('answers a DPoP request with the DPoP challenge alone, and a Bearer request with Bearer alone', () => {
    const challenges = new WwwAuthenticate(config());
    const error = new InvalidTokenError('expired');
    expect(challenges.of(error, 'DPoP')).toMatch(/^DPoP algs="ES256 RS256 PS256", error="invalid_token", error_description="[^"]+", resource_metadata="[^"]+"$/);
    expect(challenges.of(error, 'Bearer')).toMatch(/^Bearer realm="api:\/\/default", error="invalid_token", error_description="[^"]+", resource_metadata="[^"]+"$/);
    expect(challenges.of(new InsufficientScopeError(['a', 'b']), 'DPoP')).toContain('error="insufficient_scope"');
    expect(challenges.of(new InsufficientScopeError(['a', 'b']), 'DPoP')).toContain('scope="a b"');
  });

  it('follows the mode: DPoP only when required, Bearer only when off', () => {
    expect(new WwwAuthenticate(config({ OKTA_DPOP: 'required' })).of(new MissingTokenError(), undefined)).toBe(
      `DPoP algs="ES256 RS256 PS256", resource_metadata="${META}"`,
    );
    expect(new WwwAuthenticate(config({ OKTA_DPOP: 'off' })).of(new MissingTokenError(), 'DPoP')).toBe(
      `Bearer realm="api://default", resource_metadata="${META}"`,
    );
  });

  it('answers a malformed header in the challenge of the scheme it was sent with, though no credentials were read (RFC 9449 §7.1)', () => {
    const params = `error="invalid_request", error_description="${REFUSAL_DESCRIPTIONS.malformed_header}", resource_metadata="${META}"`;
    const challenges = new WwwAuthenticate(config());
    expect(challenges.of(new InvalidRequestError('malformed_header', {}, 'DPoP'), undefined)).toBe(`DPoP algs="ES256 RS256 PS256", ${params}`);
    expect(challenges.of(new InvalidRequestError('malformed_header', {}, 'Bearer'), undefined)).toBe(`Bearer realm="api://default", ${params}`);
    // Mixed repeated headers name no scheme: the Bearer challenge, as before.
    expect(challenges.of(new InvalidRequestError('malformed_header'), undefined)).toBe(`Bearer realm="api://default", ${params}`);
    expect(new WwwAuthenticate(config({ OKTA_DPOP: 'required' })).of(new InvalidRequestError('malformed_header', {}, 'Bearer'), undefined)).toMatch(/^DPoP /);
  });

  it('a nonce answer carries one challenge, whose error okta-auth-js reads as use_dpop_nonce', () => {
    const header = new WwwAuthenticate(config()).of(new DpopNonceError('n'), 'DPoP');
    const parsed = WWWAuthError.parseHeader(header)!;
    expect(parsed.scheme).toBe('DPoP');
    expect(parsed.error).toBe('use_dpop_nonce');
    expect(parsed.errorDescription).toBe(REFUSAL_DESCRIPTIONS.dpop_nonce);
  });

  it('every DPoP description survives okta-auth-js parsing intact', () => {
    const challenges = new WwwAuthenticate(config());
    for (const [reason, description] of Object.entries(REFUSAL_DESCRIPTIONS)) {
      if (!reason.startsWith('dpop_') && reason !== 'bound_token_as_bearer') continue;
      expect({ reason, ok: OKTA_QUOTED_VALUE.test(description) }).toEqual({ reason, ok: true });
      const error = reason === 'dpop_nonce' ? new DpopNonceError('n') : new DpopProofError(reason as never);
      expect(WWWAuthError.parseHeader(challenges.of(error, 'DPoP'))!.errorDescription).toBe(description);
    }
  });

  it('names the metadata of the first PUBLIC_BASE_URL, path included (RFC 9728 §3.1)', () => {
    const challenge = new WwwAuthenticate(config({ PUBLIC_BASE_URL: 'https://example.com/backend, https://api.example.com' })).of(new MissingTokenError(), 'Bearer');
    expect(challenge).toBe('Bearer realm="api://default", resource_metadata="https://example.com/.well-known/oauth-protected-resource/backend"');
  });

  it('renders each error parameter after the realm, before resource_metadata', () => {
    const challenges = new WwwAuthenticate(config());
    expect(challenges.of(new InvalidTokenError('expired'), 'Bearer')).toBe(
      `Bearer realm="api://default", error="invalid_token", error_description="the access token has expired", resource_metadata="${META}"`,
    );
    expect(challenges.of(new InsufficientScopeError(['messages:read', 'profile']), 'Bearer')).toBe(
      `Bearer realm="api://default", error="insufficient_scope", error_description="the access token lacks a required scope", scope="messages:read profile", resource_metadata="${META}"`,
    );
  });

  it('escapes quotes and backslashes so a value cannot end its quoted-string', () => {
    const challenges = new WwwAuthenticate(config({ OKTA_AUDIENCE: 'a"b\\c' }));
    expect(challenges.of(new MissingTokenError(), 'Bearer')).toBe(`Bearer realm="a\\"b\\\\c", resource_metadata="${META}"`);
    expect(challenges.of(new InsufficientScopeError(['x"y']), 'Bearer')).toContain('scope="x\\"y"');
  });

  it('never puts anything from the token into the challenge', () => {
    const error = new InvalidTokenError('wrong_issuer', { iss: 'https://evil"\r\nSet-Cookie: x', kid: 'k"' });
    for (const scheme of ['Bearer', 'DPoP'] as const) expect(new WwwAuthenticate(config()).of(error, scheme)).not.toMatch(/evil|Set-Cookie|k"/);
  });

  it('every description survives okta-auth-js WWWAuthError.parseHeader, which SPAs use to read challenges', () => {
    // Its quoted-value pattern admits only these characters; a ';' or '(' would cut the description short.
    const challenges = new WwwAuthenticate(config());
    for (const reason of Object.keys(REFUSAL_DESCRIPTIONS) as (keyof typeof REFUSAL_DESCRIPTIONS)[]) {
      if (reason === 'missing_token' || reason === 'insufficient_scope') continue;
      expect(WWWAuthError.parseHeader(challenges.of(new InvalidTokenError(reason), 'Bearer'))?.parameters.error_description).toBe(REFUSAL_DESCRIPTIONS[reason]);
    }
  });

  it("every step-up variant (RFC 9470 §3) reads back whole through okta-auth-js's parser, in either scheme", () => {
    const challenges = new WwwAuthenticate(config());
    const requirement = { acr: ['urn:okta:loa:2fa:any', 'phr'], maxAge: 300 };
    for (const scheme of ['Bearer', 'DPoP'] as const) {
      for (const unmet of [['acr'], ['max_age'], ['acr', 'max_age']] as const) {
        const error = new InsufficientUserAuthenticationError(requirement, unmet);
        const parsed = WWWAuthError.parseHeader(challenges.of(error, scheme))!;
        expect(parsed.scheme).toBe(scheme);
        expect(parsed.errorCode).toBe('insufficient_user_authentication');
        expect(parsed.errorDescription).toBe(error.description);
        expect(parsed.parameters.acr_values).toBe(unmet.includes('acr' as never) ? 'urn:okta:loa:2fa:any phr' : undefined);
        expect(parsed.parameters.max_age).toBe(unmet.includes('max_age' as never) ? '300' : undefined);
      }
    }
  });
});

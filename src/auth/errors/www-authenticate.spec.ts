import { WWWAuthError } from '@okta/okta-auth-js';
import { loadAppConfig } from '../../config/load-app-config';
import { DpopNonceError, DpopProofError } from '../dpop/dpop-proof.error';
import { InsufficientScopeError, InvalidRequestError, InvalidTokenError, MissingTokenError } from './bearer-token.error';
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
});

import { createHash, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify } from 'jose';

/**
 * okta-auth-js signs its DPoP proofs with RS256 (lib/oidc/dpop.ts); oidc-provider accepts only
 * ES256 and EdDSA unless told otherwise.
 */
export const DPOP_SIGNING_ALGS = ['RS256', 'PS256', 'ES256'];

/**
 * DPoP at the token endpoint, as Okta does for an app with "Require DPoP" (oidc-provider's own
 * implementation: tokens get `cnf.jkt` and `token_type: "DPoP"`). A nonce secret is always set, so
 * the token endpoint's CORS exposes `DPoP-Nonce`; with DEV_DPOP_NONCE=true every proof needs one,
 * and a proof without it gets the 400 `use_dpop_nonce` (JSON `error` + `error_description`, a
 * `DPoP-Nonce` header, no `WWW-Authenticate`) that okta-auth-js retries once by itself.
 */
export function dpopFeature(settings) {
  return {
    enabled: true,
    nonceSecret: randomBytes(32),
    requireNonce: () => settings.dpopNonce,
    allowReplay: false,
  };
}

const PROOF_MAX_AGE_SECONDS = 300;
const MAX_REMEMBERED_JTIS = 10_000;

/**
 * Verifies the DPoP proof sent with a DPoP-bound access token to one of the issuer's compatibility
 * routes (RFC 9449 §4.3, §7.1), with jose. Returns undefined when valid, else the reason.
 */
export function dpopProofChecker() {
  /** jti -> expiry (ms); oldest first, bounded. */
  const seen = new Map();
  return async function check({ proof, method, url, accessToken, jkt }) {
    if (typeof proof !== 'string' || proof.includes(',')) return 'exactly one DPoP proof is required';
    let payload;
    let protectedHeader;
    try {
      ({ payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, {
        typ: 'dpop+jwt',
        algorithms: DPOP_SIGNING_ALGS,
        maxTokenAge: PROOF_MAX_AGE_SECONDS,
        requiredClaims: ['jti', 'htm', 'htu', 'iat'],
      }));
    } catch (err) {
      return `invalid DPoP proof (${err.code ?? 'unverifiable'})`;
    }
    if (payload.htm !== method) return 'DPoP proof htm mismatch';
    const htu = URL.parse(payload.htu);
    if (!htu || `${htu.origin}${htu.pathname}` !== url) return 'DPoP proof htu mismatch';
    if (payload.ath !== createHash('sha256').update(accessToken).digest('base64url')) return 'DPoP proof ath mismatch';
    if ((await calculateJwkThumbprint(protectedHeader.jwk)) !== jkt) return 'DPoP proof key is not the key the token is bound to';
    const now = Date.now();
    for (const [jti, expiresAt] of seen) {
      if (expiresAt > now && seen.size < MAX_REMEMBERED_JTIS) break;
      seen.delete(jti);
    }
    if (seen.has(payload.jti)) return 'DPoP proof replayed';
    seen.set(payload.jti, now + 2 * PROOF_MAX_AGE_SECONDS * 1000);
    return undefined;
  };
}

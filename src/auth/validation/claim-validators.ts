import { OktaConfig } from '../../config/app-config';
import { AccessTokenClaims, isScopeClaim } from '../access-token-claims';
import { RefusalReason } from '../errors/refusal-reason';
import { authTimeViolation } from './auth-time';

export interface ClaimCheckContext {
  /** Seconds since the epoch. */
  now: number;
  config: OktaConfig;
}

type ClaimCheck = (claims: AccessTokenClaims, ctx: ClaimCheckContext) => RefusalReason | undefined;

/** RFC 7519 §2: a JSON number of seconds, fractions allowed (some issuers send `1712345678.123`). */
const isNumericDate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Where issuers name the client a token was issued to: Okta `cid`, RFC 9068 §2.2 `client_id`,
 * OpenID Connect `azp` (Auth0, Keycloak, Entra ID v2), Entra ID v1 `appid`.
 */
export const CLIENT_CLAIMS = ['cid', 'client_id', 'azp', 'appid'] as const;

/**
 * One predicate per claim, run in order; the first failure names the reason. Adding a rule is one
 * line. The signature was already checked by passport-jwt/jsonwebtoken with the issuer's key.
 */
export const CLAIM_CHECKS: ReadonlyArray<readonly [claim: string, check: ClaimCheck]> = [
  // RFC 7519 §4.1.1: exact string comparison, no normalisation.
  ['iss', (c, { config }) => (c.iss === config.issuer ? undefined : 'wrong_issuer')],
  // RFC 7519 §4.1.3: the token must be meant for us, or it could be replayed from another API.
  [
    'aud',
    (c, { config }) => {
      const aud = Array.isArray(c.aud) ? c.aud : [c.aud];
      return aud.some((a) => typeof a === 'string' && config.audiences.includes(a)) ? undefined : 'wrong_audience';
    },
  ],
  // RFC 9068 §2.2: exp is required; a token that never expires is never accepted.
  ['exp', (c) => (isNumericDate(c.exp) ? undefined : 'missing_claim')],
  ['exp', (c, { now, config }) => (now - config.clockToleranceSeconds < c.exp ? undefined : 'expired')],
  [
    'nbf',
    (c, { now, config }) =>
      c.nbf === undefined ? undefined : !isNumericDate(c.nbf) ? 'malformed' : c.nbf <= now + config.clockToleranceSeconds ? undefined : 'not_yet_valid',
  ],
  [
    'iat',
    (c, { now, config }) =>
      c.iat === undefined ? undefined : !isNumericDate(c.iat) ? 'malformed' : c.iat <= now + config.clockToleranceSeconds ? undefined : 'issued_in_future',
  ],
  ['auth_time', (c, { now, config }) => authTimeViolation(c.auth_time, now, config.clockToleranceSeconds)],
  // Checked only when configured. Issuers name the client differently; every name the token carries
  // must agree, so a token that names two clients is refused rather than read by whichever comes first.
  [
    'cid',
    (c, { config }) => {
      if (config.clientId === undefined) return undefined;
      const named = CLIENT_CLAIMS.filter((name) => c[name] !== undefined);
      return named.length > 0 && named.every((name) => c[name] === config.clientId) ? undefined : 'wrong_client';
    },
  ],
  // Either shape, in either claim (see isScopeClaim); a token whose scopes cannot be read is refused
  // even on routes that need none, since it is not what its issuer meant to send.
  ['scp', (c) => (c.scp === undefined || isScopeClaim(c.scp) ? undefined : 'malformed')],
  ['scope', (c) => (c.scope === undefined || isScopeClaim(c.scope) ? undefined : 'malformed')],
];

/** Returns the first reason the claims are refused, or undefined when every check passes. */
export function findClaimViolation(claims: AccessTokenClaims, ctx: ClaimCheckContext): RefusalReason | undefined {
  for (const [, check] of CLAIM_CHECKS) {
    const reason = check(claims, ctx);
    if (reason) return reason;
  }
  return undefined;
}

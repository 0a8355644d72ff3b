import { OktaConfig } from '../../config/app-config';
import { AccessTokenClaims } from '../access-token-claims';
import { RefusalReason } from '../errors/refusal-reason';
import { authTimeViolation } from './auth-time';

export interface ClaimCheckContext {
  /** Seconds since the epoch. */
  now: number;
  config: OktaConfig;
}

type ClaimCheck = (claims: AccessTokenClaims, ctx: ClaimCheckContext) => RefusalReason | undefined;

const isNumericDate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

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
  // Okta names the client `cid`; RFC 9068 names it `client_id`. Checked only when configured.
  [
    'cid',
    (c, { config }) =>
      config.clientId === undefined || (c.cid ?? c.client_id) === config.clientId ? undefined : 'wrong_client',
  ],
  ['scp', (c) => (c.scp === undefined || Array.isArray(c.scp) ? undefined : 'malformed')],
  ['scope', (c) => (c.scope === undefined || typeof c.scope === 'string' ? undefined : 'malformed')],
];

/** Returns the first reason the claims are refused, or undefined when every check passes. */
export function findClaimViolation(claims: AccessTokenClaims, ctx: ClaimCheckContext): RefusalReason | undefined {
  for (const [, check] of CLAIM_CHECKS) {
    const reason = check(claims, ctx);
    if (reason) return reason;
  }
  return undefined;
}

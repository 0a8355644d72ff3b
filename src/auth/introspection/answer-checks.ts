import { OktaConfig } from '../../config/app-config';
import { RefusalReason } from '../errors/refusal-reason';
import { CLIENT_CLAIMS } from '../validation/claim-validators';
import { IntrospectionAnswer } from './introspection-answer';

export interface AnswerCheckContext {
  /** Seconds since the epoch. */
  now: number;
  config: OktaConfig;
}

type AnswerCheck = (answer: IntrospectionAnswer, ctx: AnswerCheckContext) => RefusalReason | undefined;

/**
 * One predicate per member, run in order; the first failure names the reason. The same rules as
 * CLAIM_CHECKS for a JWT, read from an answer the issuer vouches for over an authenticated channel.
 * Types were checked by parseIntrospectionAnswer.
 */
export const ANSWER_CHECKS: ReadonlyArray<readonly [member: string, check: AnswerCheck]> = [
  // RFC 7662 §2.2: `active: false` is the whole answer for a revoked, expired or unknown token.
  ['active', (a) => (a.active === true ? undefined : 'inactive')],
  // RFC 6749 §7.1 (case-insensitive): an access token is `Bearer`, or `DPoP` with the key it is bound
  // to (RFC 9449 §6.2), which the guard then holds against the proof like a JWT's `cnf.jkt`. A refresh
  // token has no token_type (oidc-provider) or no iss (Okta, below): either way not an access token.
  [
    'token_type',
    (a) => {
      const type = a.token_type?.toLowerCase();
      if (type === 'bearer') return undefined;
      return type === 'dpop' && typeof a.cnf?.jkt === 'string' ? undefined : 'wrong_type';
    },
  ],
  // Okta's answer for a refresh token carries token_type Bearer but no iss: requiring iss refuses it.
  ['iss', (a) => (a.iss === undefined ? 'missing_claim' : undefined)],
  // RFC 7519 §4.1.1: exact string comparison, as for a JWT.
  ['iss', (a, { config }) => (a.iss === config.issuer ? undefined : 'wrong_issuer')],
  // RFC 7662 §2.2 makes aud optional; when the issuer names it, it must name this API.
  [
    'aud',
    (a, { config }) => {
      if (a.aud === undefined) return undefined;
      const aud = typeof a.aud === 'string' ? [a.aud] : a.aud;
      return aud.some((v) => config.audiences.includes(v)) ? undefined : 'wrong_audience';
    },
  ],
  // RFC 7662 §2.2 client_id is the client the token was issued to (the SPA), not the client that
  // introspects. Checked only when OKTA_CLIENT_ID is configured, as for a JWT: every name present must agree.
  [
    'client_id',
    (a, { config }) => {
      if (config.clientId === undefined) return undefined;
      const named = CLIENT_CLAIMS.filter((name) => a[name] !== undefined);
      return named.length > 0 && named.every((name) => a[name] === config.clientId) ? undefined : 'wrong_client';
    },
  ],
  // As RFC 9068 §2.2 for a JWT: a token that never expires is never accepted.
  ['exp', (a) => (a.exp === undefined ? 'missing_claim' : undefined)],
  ['exp', (a, { now, config }) => (now - config.clockToleranceSeconds < a.exp! ? undefined : 'expired')],
  ['nbf', (a, { now, config }) => (a.nbf === undefined || a.nbf <= now + config.clockToleranceSeconds ? undefined : 'not_yet_valid')],
  ['iat', (a, { now, config }) => (a.iat === undefined || a.iat <= now + config.clockToleranceSeconds ? undefined : 'issued_in_future')],
];

/** Returns the first reason the answer is refused, or undefined when every check passes. */
export function findAnswerViolation(answer: IntrospectionAnswer, ctx: AnswerCheckContext): RefusalReason | undefined {
  for (const [, check] of ANSWER_CHECKS) {
    const reason = check(answer, ctx);
    if (reason) return reason;
  }
  return undefined;
}

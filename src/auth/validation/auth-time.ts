import { RefusalReason } from '../errors/refusal-reason';

/**
 * Whether a token's `auth_time` (OpenID Connect Core §2, RFC 9470 §4) is a valid claim: absent, or
 * a NumericDate (seconds) no later than now plus the clock tolerance. A sign-in in the future is no
 * sign-in at all: the token is invalid, whatever the route requires. Used for every token (the claim
 * table) and again by the step-up check, so claims from another source get the same rule.
 */
export function authTimeViolation(authTime: unknown, now: number, toleranceSeconds: number): RefusalReason | undefined {
  if (authTime === undefined) return undefined;
  if (typeof authTime !== 'number' || !Number.isFinite(authTime)) return 'malformed';
  return authTime <= now + toleranceSeconds ? undefined : 'authenticated_in_future';
}

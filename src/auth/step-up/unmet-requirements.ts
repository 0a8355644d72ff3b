import { AccessTokenClaims } from '../access-token-claims';
import { AuthenticationRequirement } from './authentication-requirement';

/** The parts of a requirement a token falls short of, named as in the challenge (RFC 9470 §3). */
export type UnmetRequirement = 'acr' | 'max_age';

/**
 * Which parts of `requirement` the token's sign-in does not meet; empty when it meets them all.
 * Works on claims from any source (a verified JWT, an introspection answer).
 *
 * - `acr` must be a string equal to one acceptable value: no case folding, no prefix match
 *   (`urn:okta:loa:2fa:any:ifpossible` may have ended with one factor, so it does not meet
 *   `urn:okta:loa:2fa:any`). No `acr`, or one that is not a string, meets no `acr` requirement.
 * - `auth_time` (a NumericDate, seconds) must be at most `maxAge` plus the clock tolerance ago; a
 *   token without one meets no `maxAge`. One in the future is an invalid token, refused before
 *   this is asked (see authTimeViolation).
 *
 * `now` and `toleranceSeconds` are in seconds.
 */
export function unmetRequirements(
  claims: Readonly<AccessTokenClaims>,
  requirement: AuthenticationRequirement,
  now: number,
  toleranceSeconds: number,
): UnmetRequirement[] {
  const unmet: UnmetRequirement[] = [];
  const { acr, auth_time: authTime } = claims;
  if (requirement.acr !== undefined && !(typeof acr === 'string' && requirement.acr.includes(acr))) unmet.push('acr');
  if (
    requirement.maxAge !== undefined &&
    !(typeof authTime === 'number' && Number.isFinite(authTime) && now - authTime <= requirement.maxAge + toleranceSeconds)
  ) {
    unmet.push('max_age');
  }
  return unmet;
}

import { SetMetadata } from '@nestjs/common';
import { ACR_VALUE, MAX_AUTH_AGE_LIMIT_SECONDS } from '../../config/step-up-config';
import { AuthenticationRequirement } from '../step-up/authentication-requirement';

export const AUTHENTICATION_REQUIREMENT_KEY = 'auth:authenticationRequirement';

export interface RequireAuthenticationOptions {
  /** Acceptable `acr` values, most preferred first; the token's `acr` must be one of them exactly. */
  readonly acr?: readonly string[];
  /** Most seconds since the user signed in (`auth_time`). */
  readonly maxAge?: number;
}

/**
 * Step-up authentication (RFC 9470) for a route or a whole controller: the access token must show a
 * sign-in with one of the `acr` values and/or no older than `maxAge` seconds, or the request is
 * refused with `401` and `WWW-Authenticate: Bearer error="insufficient_user_authentication",
 * acr_values="...", max_age="..."`, which tells the SPA what to ask the authorization server for.
 *
 * Combines with OKTA_REQUIRED_ACR/OKTA_MAX_AUTH_AGE and with the controller's own use: every
 * requirement holds (acr lists intersect, the smallest maxAge applies; see combineRequirements).
 * Checked after the scopes: a token that lacks a scope is a 403 whatever its sign-in.
 *
 * Throws TypeError, when the class is defined, for options that could never be met or rendered.
 */
export const RequireAuthentication = (options: RequireAuthenticationOptions) =>
  SetMetadata(AUTHENTICATION_REQUIREMENT_KEY, validated(options));

function validated({ acr, maxAge }: RequireAuthenticationOptions): AuthenticationRequirement {
  const fail = (problem: string) => {
    throw new TypeError(`@RequireAuthentication: ${problem}`);
  };
  if (acr === undefined && maxAge === undefined) fail('give acr, maxAge or both');
  if (acr !== undefined) {
    if (!Array.isArray(acr) || acr.length === 0) fail('acr must be a non-empty array of acr values');
    for (const value of acr) {
      if (typeof value !== 'string' || !ACR_VALUE.test(value)) {
        fail(`"${String(value)}" is not an acr value (visible ASCII, no spaces, quotes or backslashes)`);
      }
    }
  }
  if (maxAge !== undefined && (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > MAX_AUTH_AGE_LIMIT_SECONDS)) {
    fail(`maxAge must be an integer number of seconds from 0 to ${MAX_AUTH_AGE_LIMIT_SECONDS}, got ${maxAge}`);
  }
  return Object.freeze({
    ...(acr !== undefined && { acr: Object.freeze([...new Set(acr)]) }),
    ...(maxAge !== undefined && { maxAge }),
  });
}

/**
 * What a route asks of the user's sign-in (RFC 9470 §3): how (`acr`) and how recently (`auth_time`).
 * A part that is absent is not required.
 */
export interface AuthenticationRequirement {
  /**
   * Acceptable `acr` values, most preferred first (the order of the challenge's `acr_values`). The
   * token's `acr` must be one of them, compared as a whole string. Never empty once combined from
   * settings and decorators that agree; see combineRequirements.
   */
  readonly acr?: readonly string[];
  /** Most seconds since the token's `auth_time` (plus the clock tolerance). */
  readonly maxAge?: number;
}

/**
 * Combines the requirements that apply to one route, listed from least to most specific
 * (OKTA_REQUIRED_ACR/OKTA_MAX_AUTH_AGE, the controller's decorator, the handler's), so that every
 * one of them holds, the way scope policies combine:
 *
 * - `acr`: a token carries one `acr`, and it meets every list only if it is in all of them, so the
 *   acceptable values are the intersection. It keeps the order of the most specific list (the
 *   handler knows best what it would rather have first; the SPA asks for the first value). Lists
 *   with no value in common leave `acr: []`, which no token can meet: StepUpRoutes refuses to start
 *   with such a route.
 * - `maxAge`: the smallest, since a sign-in recent enough for it is recent enough for the others.
 *
 * Returns undefined when nothing is required.
 */
export function combineRequirements(
  levels: ReadonlyArray<AuthenticationRequirement | undefined>,
): AuthenticationRequirement | undefined {
  let acr: readonly string[] | undefined;
  let maxAge: number | undefined;
  for (const level of levels) {
    if (level?.acr !== undefined) {
      const outer = acr;
      acr = outer === undefined ? level.acr : level.acr.filter((value) => outer.includes(value));
    }
    if (level?.maxAge !== undefined) maxAge = maxAge === undefined ? level.maxAge : Math.min(maxAge, level.maxAge);
  }
  if (acr === undefined && maxAge === undefined) return undefined;
  return Object.freeze({
    ...(acr !== undefined && { acr: Object.freeze([...acr]) }),
    ...(maxAge !== undefined && { maxAge }),
  });
}

import { appendMetadata } from './append-metadata';

/** `string[]`: scopes that must all be granted. */
export const SCOPES_KEY = 'auth:scopes';
/** `string[][]`: groups of scopes; at least one scope of every group must be granted. */
export const ANY_SCOPE_KEY = 'auth:anyScope';

/**
 * Requires every listed scope. On a controller and on its handler, or twice on one handler, all of
 * them are required: scope requirements combine, they never replace each other. A route that asks
 * for scopes needs a token even under `@Public()`.
 */
export const Scopes = (...scopes: string[]) => appendMetadata(SCOPES_KEY, scopes);

/**
 * Requires at least one of the listed scopes. Each `@AnyScope()` is its own group and every group
 * must hold, alongside any `@Scopes()`: `@AnyScope('a', 'b')` on a controller and
 * `@AnyScope('c', 'd')` on its handler need (a or b) and (c or d).
 * @throws Error at class definition when no scope is listed: "one of none" can never be granted.
 */
export const AnyScope = (...scopes: string[]) => {
  if (scopes.length === 0) throw new Error('@AnyScope() needs at least one scope');
  return appendMetadata(ANY_SCOPE_KEY, [scopes]);
};

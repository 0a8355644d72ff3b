import { SetMetadata } from '@nestjs/common';

export const SCOPES_KEY = 'auth:scopes';

export interface ScopeRequirement {
  /** Every one of these must be granted. */
  readonly all: readonly string[];
  /** At least one of these must be granted (ignored when empty). */
  readonly any: readonly string[];
}

/** Requires every listed scope. */
export const Scopes = (...scopes: string[]) => SetMetadata(SCOPES_KEY, { all: scopes, any: [] } satisfies ScopeRequirement);

/** Requires at least one of the listed scopes. */
export const AnyScope = (...scopes: string[]) => SetMetadata(SCOPES_KEY, { all: [], any: scopes } satisfies ScopeRequirement);

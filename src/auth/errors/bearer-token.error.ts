import { REFUSAL_DESCRIPTIONS, RefusalReason } from './refusal-reason';

/** The HTTP authentication schemes this server accepts tokens with (RFC 6750, RFC 9449). */
export type AuthScheme = 'Bearer' | 'DPoP';

/** Details safe to log: never the token, a signature, or claims beyond these. */
export interface RefusalContext {
  kid?: string;
  alg?: string;
  iss?: unknown;
  aud?: unknown;
  sub?: unknown;
  cause?: string;
}

/**
 * A refused bearer token. Each subclass knows its HTTP status and its RFC 6750 §3 challenge, so
 * the HTTP layer only renders it.
 */
export abstract class BearerTokenError extends Error {
  abstract readonly status: 401 | 403;
  /** RFC 6750 §3.1 or RFC 9449 §7.1 error code; absent when the request carried no credentials at all. */
  abstract readonly errorCode?: 'invalid_token' | 'insufficient_scope' | 'invalid_dpop_proof' | 'use_dpop_nonce';
  /** The scheme whose challenge must carry this error, when only one can (a DPoP proof error). */
  readonly scheme?: AuthScheme;

  constructor(
    readonly reason: RefusalReason,
    readonly context: RefusalContext = {},
  ) {
    super(REFUSAL_DESCRIPTIONS[reason]);
    this.name = new.target.name;
  }

  get description(): string {
    return REFUSAL_DESCRIPTIONS[this.reason];
  }

  /** Extra auth-params for the challenge; values come from configuration, never from the token. */
  protected challengeParams(): Record<string, string> {
    return {};
  }

  /** `error`, `error_description` and any extra auth-params; empty without an error code. */
  errorParams(): Record<string, string> {
    if (!this.errorCode) return {};
    return { error: this.errorCode, error_description: this.description, ...this.challengeParams() };
  }

  /** The RFC 6750 `Bearer` challenge alone (the filter renders DPoP and both-scheme challenges). */
  wwwAuthenticate(realm: string): string {
    return formatChallenge('Bearer', { realm, ...this.errorParams() });
  }
}

/** One challenge: `Scheme k="v", k="v"`, each value a quoted-string (RFC 9110 §11.2). */
export function formatChallenge(scheme: AuthScheme, params: Record<string, string>): string {
  return `${scheme} ` + Object.entries(params).map(([k, v]) => `${k}="${quote(v)}"`).join(', ');
}

/** RFC 6750 §3: a request without credentials gets a challenge with no error code. */
export class MissingTokenError extends BearerTokenError {
  readonly status = 401;
  readonly errorCode = undefined;
  constructor() {
    super('missing_token');
  }
}

export class InvalidTokenError extends BearerTokenError {
  readonly status = 401;
  readonly errorCode = 'invalid_token';
}

export class InsufficientScopeError extends BearerTokenError {
  readonly status = 403;
  readonly errorCode = 'insufficient_scope';
  constructor(
    readonly requiredScopes: readonly string[],
    context: RefusalContext = {},
  ) {
    super('insufficient_scope', context);
  }

  protected override challengeParams(): Record<string, string> {
    return { scope: this.requiredScopes.join(' ') };
  }
}

/** RFC 7230 quoted-string: escape the two characters that would end or break it. */
function quote(value: string): string {
  return value.replace(/[\\"]/g, (c) => `\\${c}`);
}

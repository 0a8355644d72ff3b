import type { AuthScheme } from '../credentials/credentials';
import { REFUSAL_DESCRIPTIONS, RefusalReason } from './refusal-reason';

/** Details safe to log: never the token, a signature, or claims beyond these. */
export interface RefusalContext {
  kid?: string;
  alg?: string;
  iss?: unknown;
  aud?: unknown;
  sub?: unknown;
  /** The client the token was issued to (`cid`, or RFC 9068's `client_id`). */
  cid?: unknown;
  cause?: string;
  /** Step-up (RFC 9470): which requirements failed (`acr`, `max_age`), and the token's claims they read. */
  unmet?: string;
  acr?: unknown;
  auth_time?: unknown;
}

/**
 * A refused bearer token. Each subclass knows its HTTP status and its RFC 6750 §3 error parameters
 * (`errorParams`), so the HTTP layer only renders it (WwwAuthenticate, for every scheme).
 */
export abstract class BearerTokenError extends Error {
  abstract readonly status: 400 | 401 | 403;
  /** RFC 6750 §3.1, RFC 9449 §7.1 or RFC 9470 §3 error code; absent when the request carried no credentials at all. */
  abstract readonly errorCode?:
    | 'invalid_request'
    | 'invalid_token'
    | 'insufficient_scope'
    | 'insufficient_user_authentication'
    | 'invalid_dpop_proof'
    | 'use_dpop_nonce';
  /** The scheme whose challenge must carry this error, when only one can (a DPoP proof error, a malformed header of one scheme). */
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
}

/** RFC 6750 §3: a request without credentials gets a challenge with no error code. */
export class MissingTokenError extends BearerTokenError {
  readonly status = 401;
  readonly errorCode = undefined;
  constructor() {
    super('missing_token');
  }
}

/**
 * RFC 6750 §3.1 invalid_request (400): the Authorization header itself is malformed (not one
 * `Bearer <b64token>`), as opposed to a well-formed header carrying a bad token (invalid_token).
 */
export class InvalidRequestError extends BearerTokenError {
  readonly status = 400;
  readonly errorCode = 'invalid_request';

  /** `scheme`: the scheme the malformed header was sent with, whose challenge answers it (RFC 9449 §7.1). */
  constructor(
    reason: RefusalReason,
    context: RefusalContext = {},
    override readonly scheme?: AuthScheme,
  ) {
    super(reason, context);
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

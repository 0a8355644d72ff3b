import { Secret } from './secret';

/** How access tokens are validated: locally as JWTs (the default), or at the issuer (RFC 7662). */
export const TOKEN_VALIDATIONS = ['jwt', 'introspect'] as const;
export type TokenValidation = (typeof TOKEN_VALIDATIONS)[number];

/** RFC 7591 §2 names of the client authentication methods the introspection client speaks. */
export const INTROSPECTION_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
export type IntrospectionAuthMethod = (typeof INTROSPECTION_AUTH_METHODS)[number];

/** The client this server authenticates as at the introspection endpoint (RFC 7662 §2.1). */
export interface IntrospectionClient {
  readonly clientId: string;
  /** Absent for a public client (`none`). Never printed: see Secret. */
  readonly secret?: Secret;
  readonly authMethod: IntrospectionAuthMethod;
}

export interface IntrospectionConfig {
  /** `introspect`: every protected route asks the issuer; `jwt`: only routes marked @RequireActiveToken(). */
  readonly validation: TokenValidation;
  /** Explicit endpoint; otherwise `introspection_endpoint` from the issuer's metadata. */
  readonly endpoint?: string;
  /** Absent when no client id is configured anywhere; introspection is then unavailable. */
  readonly client?: IntrospectionClient;
  /** Deadline for one introspection, including the wait for a free slot, in milliseconds (at most 5000). */
  readonly timeoutMs: number;
  /** How long an active answer is trusted, in milliseconds; never past the token's `exp`. 0: not cached. */
  readonly activeTtlMs: number;
  /** How long an inactive answer is remembered, in milliseconds, so garbage floods cost no calls. */
  readonly inactiveTtlMs: number;
  /** Most answers held in this instance's cache; 0 turns the cache off. */
  readonly cacheMaxEntries: number;
  /** Most introspection calls in flight to the issuer at once. */
  readonly maxConcurrentCalls: number;
}

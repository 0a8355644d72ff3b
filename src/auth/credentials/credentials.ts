/** The authentication schemes this server reads from the Authorization header. */
export type AuthScheme = 'Bearer' | 'DPoP';

/** What one well-formed Authorization header carries (RFC 6750 §2.1, RFC 9449 §7.1). */
export interface Credentials {
  /** Canonical spelling, whatever the case the client sent. */
  readonly scheme: AuthScheme;
  /** The b64token, without the scheme or surrounding whitespace. */
  readonly token: string;
}

/**
 * Where the guard leaves a request's parsed credentials, so that everything after it (passport-jwt's
 * `jwtFromRequest`, the token cache, DPoP) reads the header's one parse instead of parsing again.
 */
export const REQUEST_CREDENTIALS = Symbol('credentials');
export interface CredentialsRequest {
  [REQUEST_CREDENTIALS]?: Credentials;
}

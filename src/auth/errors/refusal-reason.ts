/**
 * Why a request was refused. Stable codes for logs and metrics; the descriptions go to clients in
 * `error_description` and never contain anything taken from the token (no echo, no header injection).
 */
export const REFUSAL_DESCRIPTIONS = {
  missing_token: 'no bearer access token in the Authorization header',
  malformed_header: 'the Authorization header is not one well-formed Bearer credential',
  malformed: 'the access token is not a well-formed JWT',
  bad_signature: 'the access token signature is invalid',
  alg_not_allowed: 'the access token signing algorithm is not allowed',
  unsupported_header: 'the access token has a critical header parameter this server does not support',
  wrong_type: 'the token is not an access token (typ)',
  unknown_kid: 'no signing key of the issuer matches the access token kid',
  key_mismatch: 'the signing key does not fit the access token algorithm',
  ambiguous_kid: 'the access token does not identify a single signing key of the issuer (kid)',
  keys_unavailable: 'the issuer signing keys are unavailable; try again later',
  missing_claim: 'the access token lacks a required claim',
  expired: 'the access token has expired',
  not_yet_valid: 'the access token is not valid yet',
  issued_in_future: 'the access token was issued in the future',
  authenticated_in_future: 'the access token says the user signed in in the future',
  wrong_issuer: 'the access token was issued by another issuer',
  wrong_audience: 'the access token is not intended for this audience',
  wrong_client: 'the access token was issued to another client',
  insufficient_scope: 'the access token lacks a required scope',
  insufficient_user_authentication: 'the user authentication is not strong or recent enough',
  // RFC 7662 §2.2: the issuer says the token is not active (revoked, expired, unknown, or not for this client).
  inactive: 'the access token is not active',
  introspection_unavailable: 'the issuer could not be asked whether the access token is active (introspection unavailable); try again later',
  internal: 'the access token could not be validated',
} as const;

export type RefusalReason = keyof typeof REFUSAL_DESCRIPTIONS;

/**
 * Why a request was refused. Stable codes for logs and metrics; the descriptions go to clients in
 * `error_description` and never contain anything taken from the token (no echo, no header injection).
 */
export const REFUSAL_DESCRIPTIONS = {
  missing_token: 'no bearer access token in the Authorization header',
  malformed_header: 'the Authorization header is not one well-formed Bearer or DPoP credential',
  malformed: 'the access token is not a well-formed JWT',
  bad_signature: 'the access token signature is invalid',
  alg_not_allowed: 'the access token signing algorithm is not allowed',
  unsupported_header: 'the access token has a critical header parameter this server does not support',
  wrong_type: 'the token is not an access token: its typ says otherwise',
  unknown_kid: 'no signing key of the issuer matches the access token kid',
  key_mismatch: 'the signing key does not fit the access token algorithm',
  ambiguous_kid: 'the access token kid does not identify a single signing key of the issuer',
  keys_unavailable: 'the issuer signing keys are unavailable, try again later',
  // The issuer's metadata names another issuer than OKTA_ISSUER: no retry helps until the setting is fixed.
  misconfigured_issuer: 'this server cannot validate access tokens: its issuer setting does not match the issuer',
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
  introspection_unavailable: 'introspection is unavailable: the issuer could not be asked whether the access token is active, try again later',
  internal: 'the access token could not be validated',
  // RFC 9449 (DPoP). These also go into a DPoP challenge that okta-auth-js parses with a narrow
  // pattern: letters, digits, spaces and -._:/, only.
  bound_token_as_bearer: 'the access token is bound to a key cnf: send it with the DPoP scheme and a proof',
  dpop_required: 'this resource accepts only DPoP-bound access tokens sent with the DPoP scheme and a proof',
  dpop_token_not_bound: 'the access token is not bound to a DPoP key: it has no cnf jkt',
  dpop_missing_proof: 'the request has no DPoP proof header',
  dpop_multiple_proofs: 'the request has more than one DPoP proof',
  dpop_malformed: 'the DPoP proof is not a well-formed JWT',
  dpop_wrong_type: 'the DPoP proof typ is not dpop+jwt',
  dpop_alg_not_allowed: 'the DPoP proof signing algorithm is not allowed',
  dpop_bad_key: 'the DPoP proof jwk is not a usable public key',
  dpop_bad_signature: 'the DPoP proof signature is invalid',
  dpop_missing_claim: 'the DPoP proof lacks a required claim: jti, htm, htu and iat',
  dpop_htm_mismatch: 'the DPoP proof htm does not match the request method',
  dpop_htu_mismatch: 'the DPoP proof htu does not match the request URI',
  dpop_iat_out_of_window: 'the DPoP proof iat is too old or in the future',
  dpop_jti_too_long: 'the DPoP proof jti is too long',
  dpop_ath_mismatch: 'the DPoP proof ath is missing or does not match the access token',
  dpop_key_mismatch: 'the DPoP proof key is not the key the access token is bound to',
  dpop_nonce: 'the DPoP proof must carry the current server nonce',
  dpop_replay: 'the DPoP proof was used before',
  dpop_store_unavailable: 'the DPoP replay store is unavailable: try again later',
} as const;

export type RefusalReason = keyof typeof REFUSAL_DESCRIPTIONS;

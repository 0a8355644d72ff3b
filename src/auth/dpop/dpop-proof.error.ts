import { BearerTokenError, RefusalContext } from '../errors/bearer-token.error';
import { RefusalReason } from '../errors/refusal-reason';

/** The refusal codes of a DPoP proof that fails a check of RFC 9449 §4.3 (or the replay store). */
export type DpopProofReason = Extract<
  RefusalReason,
  | 'dpop_missing_proof'
  | 'dpop_multiple_proofs'
  | 'dpop_malformed'
  | 'dpop_wrong_type'
  | 'dpop_alg_not_allowed'
  | 'dpop_bad_key'
  | 'dpop_bad_signature'
  | 'dpop_missing_claim'
  | 'dpop_htm_mismatch'
  | 'dpop_htu_mismatch'
  | 'dpop_iat_out_of_window'
  | 'dpop_jti_too_long'
  | 'dpop_ath_mismatch'
  | 'dpop_key_mismatch'
  | 'dpop_replay'
  | 'dpop_store_unavailable'
>;

/** RFC 9449 §7.1: a missing or invalid DPoP proof is `invalid_dpop_proof` in a `DPoP` challenge. */
export class DpopProofError extends BearerTokenError {
  readonly status = 401;
  readonly errorCode = 'invalid_dpop_proof';
  override readonly scheme = 'DPoP';

  constructor(reason: DpopProofReason, context: RefusalContext = {}) {
    super(reason, context);
  }
}

/**
 * RFC 9449 §9: the proof lacks the current server nonce. The answer carries the nonce to use in the
 * `DPoP-Nonce` header, and must carry no other challenge with an `error` (okta-auth-js's
 * parseUseDPoPNonceError merges every challenge's parameters, a later `error` winning).
 */
export class DpopNonceError extends BearerTokenError {
  readonly status = 401;
  readonly errorCode = 'use_dpop_nonce';
  override readonly scheme = 'DPoP';

  constructor(readonly nonce: string) {
    super('dpop_nonce');
  }
}

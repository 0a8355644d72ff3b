import { Injectable } from '@nestjs/common';
import { hash } from 'node:crypto';
import { JWTPayload, jwtVerify } from 'jose';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { DpopNonceError, DpopProofError, DpopProofReason } from './dpop-proof.error';
import { DpopNonces } from './dpop-nonces';
import { ProofIdentity } from './jti-replay';
import { ProofKeys } from './proof-keys';
import { RequestUri } from './request-uri';

/** What a proof is checked against. */
export interface ProofRequest {
  readonly method: string;
  /** The request target as received: path and query (Fastify's `request.url`). */
  readonly url: string;
  /** The access token sent with the DPoP scheme. */
  readonly accessToken: string;
}

/** A proof that passed every check but the replay check (which waits for the token's binding). */
export type VerifiedProof = ProofIdentity;

/** okta-auth-js sends 64 hex digits at most; a bound keeps store keys and logs small. */
const MAX_JTI_LENGTH = 256;
/** RSA-4096 with a long `htu` stays well under this; a header this large is refused before parsing. */
const MAX_PROOF_LENGTH = 8192;

/**
 * Verifies a DPoP proof as RFC 9449 §4.3 requires, with jose for the JWS and the key:
 * one `DPoP` header, a JWT typed `dpop+jwt`, an allowed asymmetric `alg`, a public `jwk` that
 * verifies the signature, `jti`/`htm`/`htu`/`iat` present, `htm` and `htu` matching this request,
 * `iat` inside OKTA_DPOP_PROOF_MAX_AGE (plus the clock tolerance either way), `ath` the hash of the
 * access token, and the server nonce when OKTA_DPOP_NONCE is on. Each failure throws a
 * DpopProofError with its own reason (a DpopNonceError for the nonce). Binding to the token's
 * `cnf.jkt` and the replay check are the guard's next steps, once the token is verified.
 */
@Injectable()
export class DpopProofVerifier {
  private readonly maxAgeSeconds: number;
  private readonly clockToleranceSeconds: number;

  constructor(
    @InjectAppConfig() config: AppConfig,
    private readonly keys: ProofKeys,
    private readonly requestUri: RequestUri,
    private readonly nonces: DpopNonces,
  ) {
    this.maxAgeSeconds = config.dpop.proofMaxAgeSeconds;
    this.clockToleranceSeconds = config.okta.clockToleranceSeconds;
  }

  async verify(dpopHeader: string | string[] | undefined, request: ProofRequest): Promise<VerifiedProof> {
    const proof = singleProof(dpopHeader);
    const proofKey = await this.keys.of(proof);
    const { key, alg, jkt } = proofKey;
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(proof, key, {
        typ: 'dpop+jwt',
        algorithms: [alg],
        requiredClaims: ['jti', 'htm', 'htu', 'iat'],
        maxTokenAge: this.maxAgeSeconds,
        clockTolerance: this.clockToleranceSeconds,
      }));
    } catch (err) {
      throw new DpopProofError(reasonOf(err), { alg, cause: (err as Error).message });
    }
    // Only now: the header's key signed this proof, so it belongs to a client holding the private key.
    this.keys.remember(proof, proofKey);
    const { jti, htm, htu, iat, ath, nonce } = claims as Record<string, unknown>;
    if (typeof jti !== 'string' || typeof htm !== 'string' || typeof htu !== 'string' || jti.length === 0) {
      throw new DpopProofError('dpop_malformed', { cause: 'jti, htm and htu must be strings' });
    }
    if (jti.length > MAX_JTI_LENGTH) throw new DpopProofError('dpop_jti_too_long');
    if (htm !== request.method) throw new DpopProofError('dpop_htm_mismatch');
    if (!this.requestUri.matches(htu, request.url)) throw new DpopProofError('dpop_htu_mismatch');
    if (ath !== hash('sha256', request.accessToken, 'base64url')) throw new DpopProofError('dpop_ath_mismatch');
    if (this.nonces.required && !this.nonces.accepts(nonce)) throw new DpopNonceError(this.nonces.current());
    return { jkt, jti, iat: iat as number };
  }
}

/** RFC 9449 §4.3 check 1: exactly one `DPoP` header, holding one compact JWS. */
function singleProof(header: string | string[] | undefined): string {
  if (header === undefined || header === '') throw new DpopProofError('dpop_missing_proof');
  // Node joins repeated unknown headers with ", "; a compact JWS never holds a comma.
  if (Array.isArray(header) || header.includes(',')) throw new DpopProofError('dpop_multiple_proofs');
  if (header.length > MAX_PROOF_LENGTH) throw new DpopProofError('dpop_malformed', { cause: 'proof too long' });
  return header;
}

/** jose's error codes, mapped to the reason a log and a metric can count. */
function reasonOf(err: unknown): DpopProofReason {
  const { code, claim, reason } = err as { code?: string; claim?: string; reason?: string };
  switch (code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'dpop_bad_signature';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'dpop_alg_not_allowed';
    case 'ERR_JWT_EXPIRED':
      return 'dpop_iat_out_of_window';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (reason === 'missing') return 'dpop_missing_claim';
      if (reason === 'invalid') return 'dpop_malformed';
      if (claim === 'typ') return 'dpop_wrong_type';
      if (claim === 'iat' || claim === 'nbf') return 'dpop_iat_out_of_window';
      return 'dpop_malformed';
    default:
      return 'dpop_malformed';
  }
}

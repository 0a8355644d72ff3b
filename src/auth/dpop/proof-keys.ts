import { Injectable } from '@nestjs/common';
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, JWK } from 'jose';
import { LRUCache } from 'lru-cache';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { DpopProofError } from './dpop-proof.error';

type PublicKey = Awaited<ReturnType<typeof EmbeddedJWK>>;

/** The key a proof's header names, checked and imported once. */
export interface ProofKey {
  /** Imported from the header's `jwk`; always a public key. */
  readonly key: PublicKey;
  readonly alg: string;
  /** RFC 7638 SHA-256 thumbprint of the `jwk`, base64url: what `cnf.jkt` must equal (RFC 9449 §6.1). */
  readonly jkt: string;
}

/** An RSA-4096 `jwk` header is ~800 characters; anything far larger is not worth decoding. */
const MAX_HEADER_SEGMENT_LENGTH = 4096;
/** RFC 7518 §3.3 asks for 2048 bits at least; the upper bound keeps one verification cheap. */
const RSA_BITS = { min: 2048, max: 4096 };
/** Distinct proof headers (one per client key pair) kept imported. */
const MAX_CACHED_KEYS = 1000;

/**
 * Reads a DPoP proof's protected header (RFC 9449 §4.2, checks 4-7 of §4.3): `typ` is `dpop+jwt`,
 * `alg` is allowed, `jwk` is a public key (jose's EmbeddedJWK refuses a private one), and computes
 * its thumbprint (jose). A client signs every proof with one key pair, so every proof it sends has
 * the very same header: the result is cached by the header's encoded bytes, and the per-request cost
 * is the signature alone. Throws DpopProofError.
 */
@Injectable()
export class ProofKeys {
  private readonly algorithms: ReadonlySet<string>;
  private readonly cache = new LRUCache<string, ProofKey>({ max: MAX_CACHED_KEYS });

  constructor(@InjectAppConfig() config: AppConfig) {
    this.algorithms = new Set(config.dpop.algorithms);
  }

  async of(proof: string): Promise<ProofKey> {
    const segment = proof.slice(0, proof.indexOf('.'));
    const cached = this.cache.get(segment);
    if (cached) return cached;
    if (segment.length === 0 || segment.length > MAX_HEADER_SEGMENT_LENGTH) throw new DpopProofError('dpop_malformed');
    const proofKey = await this.read(proof);
    this.cache.set(segment, proofKey);
    return proofKey;
  }

  private async read(proof: string): Promise<ProofKey> {
    let header;
    try {
      header = decodeProtectedHeader(proof);
    } catch {
      throw new DpopProofError('dpop_malformed');
    }
    const { typ, alg, jwk } = header;
    if (typeof typ !== 'string' || typ.toLowerCase() !== 'dpop+jwt') throw new DpopProofError('dpop_wrong_type');
    // An allow-list of asymmetric algorithms: `none` and HMAC never reach a key (RFC 9449 §4.3 check 5).
    if (typeof alg !== 'string' || !this.algorithms.has(alg)) throw new DpopProofError('dpop_alg_not_allowed', { alg: String(alg) });
    let key: PublicKey;
    let jkt: string;
    try {
      key = await EmbeddedJWK(header, undefined as never);
      jkt = await calculateJwkThumbprint(jwk as JWK, 'sha256');
    } catch (err) {
      throw new DpopProofError('dpop_bad_key', { alg, cause: (err as Error).message });
    }
    const bits = (key.algorithm as { modulusLength?: number }).modulusLength;
    if (bits !== undefined && (bits < RSA_BITS.min || bits > RSA_BITS.max)) {
      throw new DpopProofError('dpop_bad_key', { alg, cause: `RSA key of ${bits} bits` });
    }
    return { key, alg, jkt };
  }
}

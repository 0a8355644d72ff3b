import { Injectable } from '@nestjs/common';
import { calculateJwkThumbprint, decodeProtectedHeader, JWK } from 'jose';
import { LRUCache } from 'lru-cache';
import type { KeyObject } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { readPublicJwk } from '../keys/read-jwk';
import { keyFitsAlgorithm } from '../validation/key-fits-algorithm';
import { DpopProofError } from './dpop-proof.error';

/** The key a proof's header names, checked and imported once. */
export interface ProofKey {
  /** Imported from the header's `jwk`; always a public key that passed readPublicJwk's checks. */
  readonly key: KeyObject;
  readonly alg: string;
  /** RFC 7638 SHA-256 thumbprint of the `jwk`, base64url: what `cnf.jkt` must equal (RFC 9449 §6.1). */
  readonly jkt: string;
}

/** An RSA-4096 `jwk` header is ~800 characters; anything far larger is not worth decoding. */
const MAX_HEADER_SEGMENT_LENGTH = 4096;
/** Below readPublicJwk's own bound (16384): one proof verification stays cheap. */
const MAX_RSA_BITS = 4096;
/** Distinct proof headers (one per client key pair) kept imported. */
const MAX_CACHED_KEYS = 1000;

/**
 * Reads a DPoP proof's protected header (RFC 9449 §4.2, checks 4-7 of §4.3): `typ` is `dpop+jwt`,
 * `alg` is allowed, `jwk` passes the very checks the issuer's keys do (readPublicJwk: a public RSA
 * or EC key, no private member, a safe RSA exponent and modulus, an EC point on its curve), at most
 * 4096 RSA bits, and fits `alg`; then computes its thumbprint (jose). A client signs every proof
 * with one key pair, so every proof it sends has the very same header: the result is cached by the
 * header's encoded bytes, and the per-request cost is the signature alone. Only the key of a proof
 * whose signature verified is cached (`remember`): a header anyone can write (a new key pair each
 * time, a garbage signature) never takes the place of a client's key. Throws DpopProofError.
 */
@Injectable()
export class ProofKeys {
  private readonly algorithms: ReadonlySet<string>;
  private readonly cache = new LRUCache<string, ProofKey>({ max: MAX_CACHED_KEYS });

  constructor(@InjectAppConfig() config: AppConfig) {
    this.algorithms = new Set(config.dpop.algorithms);
  }

  /** Proof keys held (at most MAX_CACHED_KEYS). */
  get size(): number {
    return this.cache.size;
  }

  /** The key `proof`'s header names: the one remembered for this header, else read and checked (not kept). */
  async of(proof: string): Promise<ProofKey> {
    const segment = headerSegment(proof);
    const cached = this.cache.get(segment);
    if (cached) return cached;
    if (segment.length === 0 || segment.length > MAX_HEADER_SEGMENT_LENGTH) throw new DpopProofError('dpop_malformed');
    return this.read(proof);
  }

  /** Call once `proof`'s signature verified with `proofKey`: later proofs with its header skip reading it. */
  remember(proof: string, proofKey: ProofKey): void {
    const segment = headerSegment(proof);
    if (!this.cache.has(segment)) this.cache.set(segment, proofKey);
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
    const read = readPublicJwk(jwk);
    if ('refused' in read) throw new DpopProofError('dpop_bad_key', { alg, cause: read.refused });
    const { key } = read;
    const bits = key.asymmetricKeyDetails?.modulusLength;
    if (bits !== undefined && bits > MAX_RSA_BITS) throw new DpopProofError('dpop_bad_key', { alg, cause: `RSA key of ${bits} bits` });
    // jose would refuse it too, but as a malformed proof rather than a bad key.
    if (!keyFitsAlgorithm(alg, { key })) {
      throw new DpopProofError('dpop_bad_key', { alg, cause: `a ${key.asymmetricKeyType} key does not fit ${alg}` });
    }
    let jkt: string;
    try {
      jkt = await calculateJwkThumbprint(jwk as JWK, 'sha256');
    } catch (err) {
      throw new DpopProofError('dpop_bad_key', { alg, cause: (err as Error).message });
    }
    return { key, alg, jkt };
  }
}

/** The header's encoded bytes: the cache key (a compact JWS's first segment). */
const headerSegment = (proof: string) => proof.slice(0, proof.indexOf('.'));

import { Inject, Injectable } from '@nestjs/common';
import { hash } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { SHARED_STORE, SharedStore, StoreUnavailableError } from '../../store/shared-store';
import { DpopProofError } from './dpop-proof.error';

export interface ProofIdentity {
  /** Thumbprint of the proof's key. */
  readonly jkt: string;
  readonly jti: string;
  /** Seconds since the epoch. */
  readonly iat: number;
}

/** Seconds added to each entry's life, for the rounding of `iat` to whole seconds. */
const MARGIN_SECONDS = 2;

/**
 * RFC 9449 §11.1: a proof is accepted once. Its `jti` (with its key's thumbprint, so one client
 * cannot collide with another's) is recorded in the SharedStore as a fixed-size SHA-256, never the
 * raw value, for as long as the proof's `iat` would still be accepted; a second sighting inside
 * that time is a replay. With REDIS_URL the record is shared, so a proof replayed to another
 * instance is refused too. A store that cannot answer fails closed.
 */
@Injectable()
export class JtiReplay {
  private readonly acceptedForSeconds: number;

  constructor(
    @Inject(SHARED_STORE) private readonly store: SharedStore,
    @InjectAppConfig() config: AppConfig,
  ) {
    this.acceptedForSeconds = config.dpop.proofMaxAgeSeconds + config.okta.clockToleranceSeconds + MARGIN_SECONDS;
  }

  /** Resolves when the proof is new; throws DpopProofError `dpop_replay` or `dpop_store_unavailable`. */
  async firstUse(proof: ProofIdentity): Promise<void> {
    const key = `dpop:jti:${hash('sha256', `${proof.jkt}:${proof.jti}`, 'base64url')}`;
    const ttlMs = (proof.iat + this.acceptedForSeconds) * 1000 - Date.now();
    let absent: boolean;
    try {
      absent = await this.store.setIfAbsent(key, '1', Math.max(ttlMs, 1000));
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw new DpopProofError('dpop_store_unavailable', { cause: err.message });
      throw err;
    }
    if (!absent) throw new DpopProofError('dpop_replay');
  }
}

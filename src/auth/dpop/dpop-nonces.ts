import { Injectable } from '@nestjs/common';
import { createHmac, randomBytes } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';

/** A nonce is handed out for this long and accepted for up to twice as long (this step and the last). */
const STEP_MS = 5 * 60 * 1000;

/**
 * Server-provided nonces (RFC 9449 §9), when OKTA_DPOP_NONCE=true: a proof must carry a nonce this
 * server (or another instance with the same OKTA_DPOP_NONCE_SECRET) handed out in the current or
 * the previous five-minute step, which limits how far ahead a stolen key can pre-sign proofs.
 * Stateless: a nonce is the step and an HMAC of it, so instances need share nothing but the secret.
 */
@Injectable()
export class DpopNonces {
  readonly required: boolean;
  private readonly secret: string | Buffer;
  private step = -1;
  private accepted: readonly string[] = [];

  constructor(@InjectAppConfig() config: AppConfig) {
    this.required = config.dpop.nonce.required;
    // Without a configured secret the nonces are this process's own (fine for one instance).
    this.secret = config.dpop.nonce.secret ?? randomBytes(32);
  }

  /** The nonce to hand out now (the `DPoP-Nonce` header value; base64url and `.` only). */
  current(nowMs = Date.now()): string {
    return this.acceptedAt(nowMs)[0];
  }

  accepts(nonce: unknown, nowMs = Date.now()): boolean {
    return typeof nonce === 'string' && this.acceptedAt(nowMs).includes(nonce);
  }

  private acceptedAt(nowMs: number): readonly string[] {
    const step = Math.floor(nowMs / STEP_MS);
    if (step !== this.step) {
      this.step = step;
      this.accepted = [this.nonceOf(step), this.nonceOf(step - 1)];
    }
    return this.accepted;
  }

  private nonceOf(step: number): string {
    const label = step.toString(36);
    return `${label}.${createHmac('sha256', this.secret).update(`dpop-nonce:${label}`).digest('base64url')}`;
  }
}

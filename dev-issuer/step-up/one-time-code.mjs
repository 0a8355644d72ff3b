import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The dev issuer's second factor: a six-digit code per sign-in (interaction), derived from a secret
 * made at start, so nothing is stored. It is shown on the sign-in page itself: this issuer is for
 * demos and tests, and the point is the step, not the secrecy.
 */
export class OneTimeCodes {
  #secret = randomBytes(32);

  codeFor(interactionUid) {
    const digest = createHmac('sha256', this.#secret).update(`otp:${interactionUid}`).digest();
    return String(digest.readUInt32BE(0) % 1_000_000).padStart(6, '0');
  }

  check(interactionUid, submitted) {
    const expected = Buffer.from(this.codeFor(interactionUid));
    const given = Buffer.from(String(submitted ?? '').trim());
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

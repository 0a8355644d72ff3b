import { loadAppConfig } from '../../config/load-app-config';
import { DpopNonces } from './dpop-nonces';

const config = (env: Record<string, string> = {}) =>
  loadAppConfig({ OKTA_ISSUER: 'https://example.okta.com/oauth2/default', OKTA_DPOP_NONCE: 'true', ...env }, () => ({}));
const MINUTE = 60_000;

describe('DpopNonces (RFC 9449 §9)', () => {
  it('accepts the nonce it hands out, for this five-minute step and the next, then no longer', () => {
    const nonces = new DpopNonces(config());
    const t0 = 10 * 5 * MINUTE;
    const nonce = nonces.current(t0);
    expect(nonces.accepts(nonce, t0)).toBe(true);
    expect(nonces.accepts(nonce, t0 + 5 * MINUTE)).toBe(true);
    expect(nonces.current(t0 + 5 * MINUTE)).not.toBe(nonce);
    expect(nonces.accepts(nonce, t0 + 10 * MINUTE)).toBe(false);
  });

  it('refuses made-up or missing nonces, and another instance secret', () => {
    const nonces = new DpopNonces(config());
    const other = new DpopNonces(config());
    expect(nonces.accepts(undefined)).toBe(false);
    expect(nonces.accepts('x.y')).toBe(false);
    expect(nonces.accepts(other.current())).toBe(false);
  });

  it('agrees across instances that share OKTA_DPOP_NONCE_SECRET', () => {
    const secret = { OKTA_DPOP_NONCE_SECRET: 'k'.repeat(40) };
    expect(new DpopNonces(config(secret)).accepts(new DpopNonces(config(secret)).current())).toBe(true);
  });

  it('hands out only characters RFC 9449 §8.1 allows in a nonce', () => {
    expect(new DpopNonces(config()).current()).toMatch(/^[\x21\x23-\x5b\x5d-\x7e]+$/);
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { AccessTokenClaims } from '../access-token-claims';
import { loadAppConfig } from '../../config/load-app-config';
import { IssuerHttpClient } from '../keys/issuer-http-client';
import { JwksUriResolver } from '../keys/jwks-uri-resolver';
import { SigningKeyStore } from '../keys/signing-key-store';
import { VerifiedTokenCache } from './verified-token-cache';

const MIB = 1024 * 1024;

/** A cache as the app builds it, from the real config loader; `set` never asks the key store anything. */
function cacheWith(env: Record<string, string>): { cache: VerifiedTokenCache; http: IssuerHttpClient } {
  const config = loadAppConfig({ OKTA_ISSUER: 'https://example.okta.com/oauth2/default', ...env }, () => ({}));
  const http = new IssuerHttpClient(config);
  return { cache: new VerifiedTokenCache(config, new SigningKeyStore(config, new JwksUriResolver(config, http), http)), http };
}

const verifiedWith = { kid: 'k1', signingKey: { key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey, kid: 'k1' } };

function claims(jti: string, extra: Record<string, unknown> = {}): Readonly<AccessTokenClaims> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: 'https://example.okta.com/oauth2/default', aud: 'api://default', sub: 'user', iat: now, exp: now + 3600, jti, ...extra };
}

/** Admitted on the second verification (Doorkeeper), as the guard calls it. */
function admit(cache: VerifiedTokenCache, jti: string, extra?: Record<string, unknown>): void {
  const token = `token-${jti}`;
  cache.set(token, cache.lookup(token).id, claims(jti, extra), verifiedWith);
  cache.set(token, cache.lookup(token).id, claims(jti, extra), verifiedWith);
}

describe('VerifiedTokenCache', () => {
  let http: IssuerHttpClient | undefined;
  afterEach(() => http?.onApplicationShutdown());

  it('holds no more estimated bytes than OKTA_TOKEN_CACHE_MAX_MB: large tokens evict older entries', () => {
    let cache: VerifiedTokenCache;
    ({ cache, http } = cacheWith({ OKTA_TOKEN_CACHE_SIZE: '10000', OKTA_TOKEN_CACHE_MAX_MB: '1' }));
    // ~12 KB of claims: what a 16 KiB token, the largest the server reads, carries.
    for (let i = 0; i < 200; i++) {
      admit(cache, `large-${i}`, { groups: `${i}`.padEnd(12_000, 'g') });
      expect(cache.estimatedBytes).toBeLessThanOrEqual(MIB);
    }
    expect(cache.size).toBeGreaterThan(20);
    expect(cache.size).toBeLessThan(200);
    expect(cache.estimatedBytes).toBeGreaterThan(MIB / 2);
  });

  it('leaves the entry bound in charge for ordinary tokens', () => {
    let cache: VerifiedTokenCache;
    ({ cache, http } = cacheWith({ OKTA_TOKEN_CACHE_SIZE: '1000', OKTA_TOKEN_CACHE_MAX_MB: '32' }));
    for (let i = 0; i < 1500; i++) admit(cache, `small-${i}`, { scp: ['openid', 'profile', 'email'] });
    expect(cache.size).toBe(1000);
    expect(cache.estimatedBytes).toBeLessThan(4 * MIB);
  });

  it('hashes and looks up only tokens it admitted', () => {
    // Hits themselves need a key store that holds the verifying key: test/token-cache.e2e-spec.ts.
    let cache: VerifiedTokenCache;
    ({ cache, http } = cacheWith({}));
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.QmVhcmVyU2lnbmF0dXJlT2ZBVG9rZW4';
    expect(cache.lookup(token)).toEqual({});
    cache.set(token, undefined, claims('polling'), verifiedWith);
    expect(cache.lookup(token)).toEqual({});
    expect(cache.size).toBe(0);
    cache.set(token, undefined, claims('polling'), verifiedWith);
    expect(cache.size).toBe(1);
    expect(cache.lookup(token).id).toBe(cache.idOf(token));
    // Same signature, another payload: the filter lets it through to the digest, which tells them apart.
    const forged = token.replace('eyJzdWIiOiJ4In0', 'eyJzdWIiOiJ5In0');
    expect(cache.lookup(forged).id).toBe(cache.idOf(forged));
    expect(cache.idOf(forged)).not.toBe(cache.idOf(token));
  });

  it('counts nothing for a token seen once', () => {
    let cache: VerifiedTokenCache;
    ({ cache, http } = cacheWith({}));
    cache.set('once-only-token', undefined, claims('once'), verifiedWith);
    expect(cache.size).toBe(0);
    expect(cache.estimatedBytes).toBe(0);
  });
});

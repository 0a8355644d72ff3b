import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app.config';
import { AccessTokenClaims } from '../access-token-claims';
import { SigningKeyStore } from '../keys/signing-key-store';

interface Entry {
  readonly claims: AccessTokenClaims;
  readonly kid: string | undefined;
}

/**
 * Claims of tokens that passed full verification, so an SPA polling with the same token does not
 * pay for a signature check on every request.
 *
 * - Keyed by SHA-256 of the whole token: the heap holds no bearer credential, and a token that
 *   differs in any byte (payload, signature) is a different entry.
 * - An entry lives no longer than the token's `exp` or the max age, and `exp`/`nbf` are checked
 *   again on every hit, so a cached token never outlives its validity.
 * - Entries signed by a key the issuer no longer publishes are dropped when the key disappears.
 * - Bounded by entry count (LRU), so a flood of distinct valid tokens cannot grow memory.
 */
@Injectable()
export class VerifiedTokenCache {
  private readonly cache?: LRUCache<string, Entry>;
  private readonly maxAgeMs: number;
  private readonly toleranceSeconds: number;

  constructor(@InjectAppConfig() config: AppConfig, keyStore: SigningKeyStore) {
    this.maxAgeMs = config.tokenCache.maxAgeMs;
    this.toleranceSeconds = config.okta.clockToleranceSeconds;
    if (config.tokenCache.maxEntries > 0) {
      this.cache = new LRUCache<string, Entry>({ max: config.tokenCache.maxEntries });
      keyStore.events.on('keysRemoved', (kids) => this.forgetKeys(kids));
    }
  }

  get size(): number {
    return this.cache?.size ?? 0;
  }

  /** The cache key of a token; computed once per request and passed to get and set. */
  idOf(token: string): string {
    return createHash('sha256').update(token).digest('base64');
  }

  get(id: string): AccessTokenClaims | undefined {
    const entry = this.cache?.get(id);
    if (!entry) return undefined;
    if (!this.stillValid(entry.claims, Date.now() / 1000)) {
      this.cache!.delete(id);
      return undefined;
    }
    return entry.claims;
  }

  /** Only ever called with claims that passed every check. */
  set(id: string, claims: AccessTokenClaims, kid: string | undefined): void {
    if (!this.cache) return;
    const msUntilExpiry = (claims.exp + this.toleranceSeconds) * 1000 - Date.now();
    const ttl = Math.min(this.maxAgeMs, msUntilExpiry);
    if (ttl > 0) this.cache.set(id, { claims, kid }, { ttl });
  }

  get enabled(): boolean {
    return this.cache !== undefined;
  }

  private stillValid(claims: AccessTokenClaims, now: number): boolean {
    return (
      now - this.toleranceSeconds < claims.exp &&
      (claims.nbf === undefined || claims.nbf <= now + this.toleranceSeconds)
    );
  }

  private forgetKeys(kids: readonly string[]): void {
    const removed = new Set(kids);
    const stale: string[] = [];
    for (const [id, entry] of this.cache!.entries()) {
      if (entry.kid === undefined || removed.has(entry.kid)) stale.push(id);
    }
    for (const id of stale) this.cache!.delete(id);
  }
}

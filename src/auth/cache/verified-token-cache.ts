import { Injectable } from '@nestjs/common';
import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { AccessTokenClaims } from '../access-token-claims';
import { SigningKey, SigningKeyStore } from '../keys/signing-key-store';
import { Doorkeeper } from './doorkeeper';
import { jsonValueBytes } from './json-value-bytes';

/**
 * Per-entry cost besides the claims and `kid`: the SHA-256 key (a 44-character string), the entry
 * object, the Map slot and lru-cache's per-entry slots (links, TTL, start, size).
 */
const ENTRY_OVERHEAD_BYTES = 256;

/** The key a token was verified with: a hit counts only while the issuer still vouches for it. */
export interface VerifiedWith {
  readonly kid: string | undefined;
  readonly signingKey: SigningKey;
}

interface Entry extends VerifiedWith {
  readonly claims: Readonly<AccessTokenClaims>;
}

/**
 * Claims of tokens that passed full verification, so an SPA polling with the same token does not
 * pay for a signature check on every request.
 *
 * - Keyed by SHA-256 of the whole token: the heap holds no bearer credential, and a token that
 *   differs in any byte (payload, signature) is a different entry.
 * - An entry lives no longer than the token's `exp` or the max age (a monotonic-clock TTL), and
 *   `exp`/`nbf` are checked again on every hit against the wall clock, which is what `exp` is
 *   measured in (an NTP step forward would otherwise leave an expired token cached).
 * - A hit counts only while the key store still holds the very SigningKey that verified it: a key
 *   withdrawn (gone from the issuer's answer, re-marked for encryption, even when no key is left),
 *   replaced under the same `kid`, or held past max-stale voids every entry it verified, exactly as
 *   a fresh verification would fail.
 * - Admitted on a token's second verification (Doorkeeper): a token seen once never takes an entry,
 *   so one-shot tokens cost no memory and cannot evict the tokens of clients that keep polling.
 * - Bounded by entry count and by estimated bytes (LRU): a flood of distinct valid tokens cannot grow
 *   memory, nor can large ones (a token may be 16 KiB: 10,000 of them would hold over 100 MB of claims).
 *   An entry's bytes are estimated once, when it is admitted (`jsonValueBytes`, an upper estimate);
 *   a hit does no size work.
 * - Claims are frozen: every hit shares one object, which no handler may alter.
 */
@Injectable()
export class VerifiedTokenCache {
  /** Absent when the cache is turned off. */
  private readonly store?: {
    readonly entries: LRUCache<string, Entry>;
    /** Tokens verified once since their slot was last reused. */
    readonly doorkeeper: Doorkeeper;
    /** Tokens admitted to `entries`: only these are worth hashing and looking up. */
    readonly admitted: Doorkeeper;
  };
  private readonly maxAgeMs: number;
  private readonly toleranceSeconds: number;

  constructor(
    @InjectAppConfig() config: AppConfig,
    private readonly keyStore: SigningKeyStore,
  ) {
    this.maxAgeMs = config.tokenCache.maxAgeMs;
    this.toleranceSeconds = config.okta.clockToleranceSeconds;
    if (config.tokenCache.maxEntries > 0) {
      const max = config.tokenCache.maxEntries;
      // A token must come back before this many other first sightings displace it: four times the
      // entries leaves room for the tokens of clients not cached yet (4 bytes a slot).
      const entries = new LRUCache<string, Entry>({ max, maxSize: config.tokenCache.maxBytes, sizeCalculation: entryBytes });
      this.store = { entries, doorkeeper: new Doorkeeper(4 * max), admitted: new Doorkeeper(4 * max) };
    }
  }

  get size(): number {
    return this.store?.entries.size ?? 0;
  }

  /** The estimated bytes of the entries held; never above OKTA_TOKEN_CACHE_MAX_MB. */
  get estimatedBytes(): number {
    return this.store?.entries.calculatedSize ?? 0;
  }

  /** The cache key of a token: its SHA-256, so the heap holds no bearer credential. */
  idOf(token: string): string {
    return hash('sha256', token, 'base64');
  }

  /**
   * The claims of `token` if they are cached and still good, and its cache key if it was computed:
   * pass `id` on to `set`, so a token is hashed at most once per request. A token never admitted is
   * neither hashed nor looked up (`id` undefined).
   */
  lookup(token: string): { claims?: Readonly<AccessTokenClaims>; id?: string } {
    if (!this.store?.admitted.has(token)) return {};
    const id = this.idOf(token);
    return { claims: this.get(id), id };
  }

  get(id: string): Readonly<AccessTokenClaims> | undefined {
    const entries = this.store?.entries;
    const entry = entries?.get(id);
    if (!entries || !entry) return undefined;
    if (
      !this.keyStore.holds(entry.signingKey) ||
      !this.stillValid(entry.claims, Date.now() / 1000)
    ) {
      entries.delete(id);
      return undefined;
    }
    return entry.claims;
  }

  /**
   * Only ever called with the claims of a `token` that passed every check, and the `id` lookup gave
   * for it (if any). Admits the token on its second verification.
   */
  set(token: string, id: string | undefined, claims: Readonly<AccessTokenClaims>, verifiedWith: VerifiedWith): void {
    if (!this.store?.doorkeeper.seenBefore(token)) return;
    const msUntilExpiry = (claims.exp + this.toleranceSeconds) * 1000 - Date.now();
    const ttl = Math.min(this.maxAgeMs, msUntilExpiry);
    if (ttl <= 0) return;
    this.store.entries.set(id ?? this.idOf(token), { claims, ...verifiedWith }, { ttl });
    this.store.admitted.record(token);
  }

  get enabled(): boolean {
    return this.store !== undefined;
  }

  private stillValid(claims: AccessTokenClaims, now: number): boolean {
    return (
      now - this.toleranceSeconds < claims.exp &&
      (claims.nbf === undefined || claims.nbf <= now + this.toleranceSeconds)
    );
  }
}

/** An entry's estimated heap bytes: computed once, when lru-cache stores it. */
function entryBytes(entry: Entry): number {
  return ENTRY_OVERHEAD_BYTES + jsonValueBytes(entry.kid ?? null) + jsonValueBytes(entry.claims);
}

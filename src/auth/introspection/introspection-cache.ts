import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { INACTIVE, IntrospectionAnswer, parseIntrospectionAnswer } from './introspection-answer';
import { SHARED_STORE, SharedStore } from '../../store/shared-store';

/** Answers are a few hundred bytes; this bounds the cache whatever an issuer puts in them. */
const MAX_CACHE_BYTES = 32 * 1024 * 1024;
/** Per-entry overhead counted on top of the answer's JSON: key, entry object, LRU bookkeeping. */
const ENTRY_OVERHEAD_BYTES = 200;
/** Shared-store keys are namespaced (COMMON.md contract 2) and hold a hash, never the token. */
const SHARED_PREFIX = 'introspection:';

interface Entry {
  readonly answer: IntrospectionAnswer;
  readonly bytes: number;
}

/** What the cache found, and where. */
export type CacheLookup = { readonly answer: IntrospectionAnswer; readonly from: 'local' | 'shared' } | undefined;

/**
 * Introspection answers by SHA-256 of the token, so the issuer is asked once per token per TTL.
 *
 * - Active answers live OKTA_INTROSPECTION_CACHE_TTL, never past the token's `exp`; that TTL is the
 *   longest a revoked token keeps working. Inactive answers live OKTA_INTROSPECTION_INACTIVE_CACHE_TTL,
 *   so a flood of garbage tokens costs one call per distinct token, not one per request.
 * - Bounded by entries (LRU) and bytes: whatever the issuer answers, memory stays bounded.
 * - With a Redis store (REDIS_URL) answers are shared by every instance: one call per token per TTL
 *   for the whole fleet. A store that fails is skipped: the issuer is asked instead.
 */
@Injectable()
export class IntrospectionCache {
  private readonly logger = new Logger(IntrospectionCache.name);
  private readonly local?: LRUCache<string, Entry>;
  private readonly shared?: SharedStore;
  private readonly activeTtlMs: number;
  private readonly inactiveTtlMs: number;
  /** Store failures are logged at most once per this many milliseconds. */
  private lastStoreWarning = Number.NEGATIVE_INFINITY;

  constructor(
    @InjectAppConfig() config: AppConfig,
    @Optional() @Inject(SHARED_STORE) store?: SharedStore,
  ) {
    const { cacheMaxEntries, activeTtlMs, inactiveTtlMs } = config.introspection;
    this.activeTtlMs = activeTtlMs;
    this.inactiveTtlMs = inactiveTtlMs;
    if (cacheMaxEntries > 0) {
      this.local = new LRUCache<string, Entry>({
        max: cacheMaxEntries,
        maxSize: MAX_CACHE_BYTES,
        sizeCalculation: (entry) => entry.bytes,
      });
    }
    // An in-memory store would only hold a second copy of what the local cache holds.
    if (store?.kind === 'redis') this.shared = store;
  }

  get size(): number {
    return this.local?.size ?? 0;
  }

  get sharedKind(): SharedStore['kind'] | undefined {
    return this.shared?.kind;
  }

  /** The cache key of a token; computed once per request. */
  idOf(token: string): string {
    return hash('sha256', token, 'base64url');
  }

  /** The answer held by this instance, without waiting. */
  getLocal(id: string): IntrospectionAnswer | undefined {
    return this.local?.get(id)?.answer;
  }

  /** The answer held by this instance or, failing that, by the shared store. */
  async get(id: string): Promise<CacheLookup> {
    const local = this.getLocal(id);
    if (local) return { answer: local, from: 'local' };
    if (!this.shared) return undefined;
    let text: string | undefined;
    try {
      text = await this.shared.get(SHARED_PREFIX + id);
    } catch (err) {
      this.warnStore('read', err);
      return undefined;
    }
    if (text === undefined) return undefined;
    const stored = readShared(text);
    if (!stored) return undefined;
    const ttl = stored.until - Date.now();
    if (ttl <= 0) return undefined;
    this.setLocal(id, stored.answer, ttl, text.length);
    return { answer: stored.answer, from: 'shared' };
  }

  /**
   * Keeps a fresh answer here and in the shared store. The shared write is waited for (one Redis
   * round trip after the issuer's), so once a request is answered every instance finds the answer;
   * a failed write is only logged.
   */
  async set(id: string, answer: IntrospectionAnswer): Promise<void> {
    const ttl = this.ttlOf(answer);
    if (ttl <= 0) return;
    const text = JSON.stringify({ until: Date.now() + ttl, answer });
    this.setLocal(id, answer, ttl, text.length);
    await this.shared?.set(SHARED_PREFIX + id, text, ttl).catch((err: unknown) => this.warnStore('write', err));
  }

  /** Active: the configured TTL, cut at `exp` (RFC 7662 §4: a cached answer must not outlive the token). */
  private ttlOf(answer: IntrospectionAnswer): number {
    // An answer without exp is refused on every hit (missing_claim): remembered like an inactive one.
    if (!answer.active || typeof answer.exp !== 'number') return this.inactiveTtlMs;
    return Math.min(this.activeTtlMs, answer.exp * 1000 - Date.now());
  }

  private setLocal(id: string, answer: IntrospectionAnswer, ttl: number, jsonBytes: number): void {
    this.local?.set(id, { answer, bytes: 2 * jsonBytes + ENTRY_OVERHEAD_BYTES }, { ttl });
  }

  private warnStore(operation: string, err: unknown): void {
    const now = Date.now();
    if (now - this.lastStoreWarning < 10_000) return;
    this.lastStoreWarning = now;
    this.logger.warn(`shared store ${operation} failed (${(err as Error)?.message ?? String(err)}); the issuer is asked instead`);
  }
}

/** A shared entry another instance wrote; anything unreadable is a miss. */
function readShared(text: string): { until: number; answer: IntrospectionAnswer } | undefined {
  try {
    const { until, answer } = JSON.parse(text) as { until?: unknown; answer?: unknown };
    if (typeof until !== 'number') return undefined;
    const parsed = parseIntrospectionAnswer(answer);
    return { until, answer: parsed.active ? parsed : INACTIVE };
  } catch {
    return undefined;
  }
}

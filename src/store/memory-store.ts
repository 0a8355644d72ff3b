import { SharedStoreBackend, StoreFullError, StoreStatus } from './shared-store';

interface Entry {
  readonly value: string;
  /** On the monotonic clock, in milliseconds. */
  readonly expiresAt: number;
  readonly bytes: number;
}

export interface MemoryStoreLimits {
  readonly maxEntries: number;
  /** An estimate: UTF-16 key and value plus a fixed overhead per entry (Map slot, entry object). */
  readonly maxBytes: number;
}

/** Per-entry cost beyond the strings themselves: the Map slot, the entry object, the number. */
const ENTRY_OVERHEAD_BYTES = 96;
/** Least time between two full sweeps for expired entries while the store is full (a sweep is O(entries)). */
const FULL_SWEEP_INTERVAL_MS = 1000;
/** Expired entries are swept in the background at this interval, so memory comes back when traffic stops. */
const BACKGROUND_SWEEP_INTERVAL_MS = 10_000;

/**
 * SharedStore in this process: for one instance, or when no REDIS_URL is set.
 *
 * Bounded in entries and in (estimated) bytes. What happens when full:
 * - setIfAbsent never evicts an entry written by setIfAbsent before it expires: those answer
 *   "seen before?" (DPoP `jti` replay), and forgetting one early would let a replay through. It may
 *   evict cache entries written by `set`; when setIfAbsent entries alone fill the budget it rejects
 *   with StoreFullError, and the caller fails closed.
 * - set evicts the oldest `set` entries to make room; when setIfAbsent entries fill the budget the
 *   value is not stored, which costs a cache a later miss and nothing else.
 * Expired entries are removed when read, by a sweep when the store is full (at most once a second),
 * and by a background sweep every 10 s.
 */
export class MemoryStore implements SharedStoreBackend {
  readonly kind = 'memory';
  /** Written by setIfAbsent: kept until they expire. */
  private readonly pinned = new Map<string, Entry>();
  /** Written by set, oldest first: evictable. */
  private readonly cached = new Map<string, Entry>();
  private bytes = 0;
  private lastFullSweepAt = Number.NEGATIVE_INFINITY;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly limits: MemoryStoreLimits,
    /** Monotonic milliseconds; a parameter so tests can move time. */
    private readonly now: () => number = () => performance.now(),
  ) {
    this.sweeper = setInterval(() => this.sweepExpired(), BACKGROUND_SWEEP_INTERVAL_MS).unref();
  }

  get size(): number {
    return this.pinned.size + this.cached.size;
  }

  get estimatedBytes(): number {
    return this.bytes;
  }

  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    if (this.live(key, now) !== undefined) return Promise.resolve(false);
    const entry = this.entry(key, value, ttlMs, now);
    if (!this.makeRoom(entry.bytes, now)) {
      return Promise.reject(new StoreFullError('the in-memory store is full of entries that have not expired'));
    }
    this.insert(this.pinned, key, entry);
    return Promise.resolve(true);
  }

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.live(key, this.now())?.value);
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    const now = this.now();
    this.remove(key);
    const entry = this.entry(key, value, ttlMs, now);
    if (this.makeRoom(entry.bytes, now)) this.insert(this.cached, key, entry);
    return Promise.resolve();
  }

  probe(): Promise<StoreStatus> {
    const full = this.size >= this.limits.maxEntries || this.bytes >= this.limits.maxBytes;
    return Promise.resolve({
      kind: this.kind,
      // Full of live entries still answers reads; a write that cannot fit fails on its own.
      available: true,
      details: {
        entries: this.size,
        maxEntries: this.limits.maxEntries,
        estimatedBytes: this.bytes,
        maxBytes: this.limits.maxBytes,
        full,
      },
    });
  }

  close(): Promise<void> {
    clearInterval(this.sweeper);
    this.pinned.clear();
    this.cached.clear();
    this.bytes = 0;
    return Promise.resolve();
  }

  private entry(key: string, value: string, ttlMs: number, now: number): Entry {
    return { value, expiresAt: now + Math.max(1, ttlMs), bytes: 2 * (key.length + value.length) + ENTRY_OVERHEAD_BYTES };
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.pinned.get(key) ?? this.cached.get(key);
    if (entry === undefined || entry.expiresAt > now) return entry;
    this.remove(key);
    return undefined;
  }

  private fits(bytes: number): boolean {
    return this.size < this.limits.maxEntries && this.bytes + bytes <= this.limits.maxBytes;
  }

  /** True when an entry of `bytes` fits, after sweeping expired entries and evicting `set` entries. */
  private makeRoom(bytes: number, now: number): boolean {
    if (this.fits(bytes)) return true;
    if (now - this.lastFullSweepAt >= FULL_SWEEP_INTERVAL_MS) {
      this.lastFullSweepAt = now;
      this.sweepExpired(now);
      if (this.fits(bytes)) return true;
    }
    for (const key of this.cached.keys()) {
      this.remove(key);
      if (this.fits(bytes)) return true;
    }
    return false;
  }

  private insert(map: Map<string, Entry>, key: string, entry: Entry): void {
    map.set(key, entry);
    this.bytes += entry.bytes;
  }

  private remove(key: string): void {
    const entry = this.pinned.get(key) ?? this.cached.get(key);
    if (entry === undefined) return;
    this.pinned.delete(key);
    this.cached.delete(key);
    this.bytes -= entry.bytes;
  }

  private sweepExpired(now = this.now()): void {
    for (const map of [this.pinned, this.cached]) {
      for (const [key, entry] of map) {
        if (entry.expiresAt <= now) {
          map.delete(key);
          this.bytes -= entry.bytes;
        }
      }
    }
  }
}

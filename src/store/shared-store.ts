/** The injection token of the one SharedStore of the process (contract 2). */
export const SHARED_STORE = Symbol('SharedStore');

/**
 * A small key-value store shared by every instance when `REDIS_URL` is set, else in this process.
 * Callers namespace their keys (`dpop:jti:`, `introspection:`) and store hashes, never raw tokens
 * or `jti` values. TTLs are in milliseconds.
 */
export interface SharedStore {
  readonly kind: 'memory' | 'redis';
  /**
   * Atomically stores value under key for ttlMs if key is absent; true when it was absent.
   * Rejects with StoreUnavailableError when the backend cannot answer within its deadline (and, in
   * memory, with StoreFullError when live entries fill the budget: it never evicts one to say "absent").
   */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** The value, or undefined when absent or expired. Rejects with StoreUnavailableError. */
  get(key: string): Promise<string | undefined>;
  /**
   * Stores value under key for ttlMs, replacing any value. In memory it may evict the oldest `set`
   * entries to make room, and does not store the value when entries written by setIfAbsent fill
   * the budget (a later get misses). Rejects with StoreUnavailableError.
   */
  set(key: string, value: string, ttlMs: number): Promise<void>;
}

/** The backend did not answer within its deadline, or cannot be reached at all. */
export class StoreUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The in-memory store is full of entries still inside their TTL; nothing was evicted. */
export class StoreFullError extends StoreUnavailableError {}

/** What readiness and logs may say about the store; never a key or a value. */
export interface StoreStatus {
  readonly kind: SharedStore['kind'];
  /** The store answers now (memory: always; Redis: connected and answering a PING in its deadline). */
  readonly available: boolean;
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}

/** What the StoreModule provides under SHARED_STORE: the contract plus its own health. */
export interface SharedStoreBackend extends SharedStore {
  /** Checks the backend (Redis: one PING within the deadline); never rejects. */
  probe(): Promise<StoreStatus>;
  close(): Promise<void>;
}

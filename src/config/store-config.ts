/** Where SharedStore keeps its entries (src/store). */
export interface StoreConfig {
  /** Redis (`redis://` or `rediss://`) shared by every instance; in memory when absent. May hold a password: never log it. */
  readonly redisUrl?: string;
  /** Deadline of each Redis call, in milliseconds; past it the call fails with StoreUnavailableError. */
  readonly redisTimeoutMs: number;
  /** Bounds of the in-memory store: entries, and an estimate of the bytes they take. */
  readonly memory: { readonly maxEntries: number; readonly maxBytes: number };
  /**
   * Readiness fails while the store is unavailable. Only when every request needs it: otherwise a
   * Redis outage would take every instance out of the load balancer while Bearer requests still work.
   */
  readonly requiredForReadiness: boolean;
}

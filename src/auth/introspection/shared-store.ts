/*
 * Contract 2 (COMMON.md): the shared store built by branch `dpop` in src/store/. Until that lands on
 * main this file states the contract; at the merge it becomes a re-export of src/store, so the
 * answer cache injects the very token StoreModule provides.
 */
export const SHARED_STORE = Symbol('SharedStore');

export interface SharedStore {
  readonly kind: 'memory' | 'redis';
  /** Atomically stores value under key for ttlMs if key is absent; true when it was absent. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
}

export class StoreUnavailableError extends Error {}

import { MemoryStore } from './memory-store';
import { StoreFullError, StoreUnavailableError } from './shared-store';

/** A store on a clock the test moves by hand (monotonic milliseconds). */
function storeWith(limits: { maxEntries: number; maxBytes: number }) {
  const clock = { now: 0 };
  const store = new MemoryStore(limits, () => clock.now);
  return { store, clock };
}

const ROOMY = { maxEntries: 1000, maxBytes: 1024 * 1024 };

describe('MemoryStore', () => {
  let store: MemoryStore;
  afterEach(() => store?.close());

  it('setIfAbsent says true once, then false while the entry lives', async () => {
    ({ store } = storeWith(ROOMY));
    await expect(store.setIfAbsent('dpop:jti:a', '1', 60_000)).resolves.toBe(true);
    await expect(store.setIfAbsent('dpop:jti:a', '1', 60_000)).resolves.toBe(false);
    await expect(store.setIfAbsent('dpop:jti:b', '1', 60_000)).resolves.toBe(true);
  });

  it('forgets an entry once its TTL has passed', async () => {
    let clock;
    ({ store, clock } = storeWith(ROOMY));
    await store.setIfAbsent('k', 'v', 1000);
    clock.now = 999;
    await expect(store.get('k')).resolves.toBe('v');
    await expect(store.setIfAbsent('k', 'v', 1000)).resolves.toBe(false);
    clock.now = 1000;
    await expect(store.get('k')).resolves.toBeUndefined();
    await expect(store.setIfAbsent('k', 'v', 1000)).resolves.toBe(true);
  });

  it('set replaces a value and get reads it back', async () => {
    ({ store } = storeWith(ROOMY));
    await store.set('introspection:x', 'one', 1000);
    await store.set('introspection:x', 'two', 1000);
    await expect(store.get('introspection:x')).resolves.toBe('two');
    expect(store.size).toBe(1);
  });

  it('fails closed when setIfAbsent entries fill the entry budget: nothing inside its TTL is evicted', async () => {
    ({ store } = storeWith({ maxEntries: 100, maxBytes: 1024 * 1024 }));
    for (let i = 0; i < 100; i++) await expect(store.setIfAbsent(`jti:${i}`, '1', 60_000)).resolves.toBe(true);
    const refused = store.setIfAbsent('jti:new', '1', 60_000);
    await expect(refused).rejects.toBeInstanceOf(StoreFullError);
    await expect(refused).rejects.toBeInstanceOf(StoreUnavailableError);
    // Every earlier entry is still there to catch a replay.
    for (let i = 0; i < 100; i++) await expect(store.setIfAbsent(`jti:${i}`, '1', 60_000)).resolves.toBe(false);
  });

  it('bounds the estimated bytes as well as the entries', async () => {
    ({ store } = storeWith({ maxEntries: 1_000_000, maxBytes: 5000 }));
    const big = 'x'.repeat(1000);
    await expect(store.setIfAbsent('a', big, 60_000)).resolves.toBe(true);
    await expect(store.setIfAbsent('b', big, 60_000)).resolves.toBe(true);
    await expect(store.setIfAbsent('c', big, 60_000)).rejects.toBeInstanceOf(StoreFullError);
    expect(store.estimatedBytes).toBeLessThanOrEqual(5000);
    // One value larger than the whole budget is never stored.
    await store.set('huge', 'y'.repeat(10_000), 60_000);
    await expect(store.get('huge')).resolves.toBeUndefined();
  });

  it('makes room once entries expire', async () => {
    let clock;
    ({ store, clock } = storeWith({ maxEntries: 100, maxBytes: 1024 * 1024 }));
    for (let i = 0; i < 100; i++) await store.setIfAbsent(`jti:${i}`, '1', 1000);
    await expect(store.setIfAbsent('jti:new', '1', 1000)).rejects.toBeInstanceOf(StoreFullError);
    clock.now = 1000;
    await expect(store.setIfAbsent('jti:new', '1', 1000)).resolves.toBe(true);
    expect(store.size).toBe(1);
  });

  it('set evicts the oldest set entries, and setIfAbsent may evict them too', async () => {
    ({ store } = storeWith({ maxEntries: 3, maxBytes: 1024 * 1024 }));
    await store.set('cache:1', 'a', 60_000);
    await store.set('cache:2', 'b', 60_000);
    await store.set('cache:3', 'c', 60_000);
    await store.set('cache:4', 'd', 60_000);
    await expect(store.get('cache:1')).resolves.toBeUndefined();
    await expect(store.get('cache:4')).resolves.toBe('d');
    await expect(store.setIfAbsent('jti:1', '1', 60_000)).resolves.toBe(true);
    await expect(store.get('cache:2')).resolves.toBeUndefined();
    expect(store.size).toBe(3);
  });

  it('set does not store a value, and evicts no setIfAbsent entry, when those fill the budget', async () => {
    ({ store } = storeWith({ maxEntries: 2, maxBytes: 1024 * 1024 }));
    await store.setIfAbsent('jti:1', '1', 60_000);
    await store.setIfAbsent('jti:2', '1', 60_000);
    await expect(store.set('cache:1', 'a', 60_000)).resolves.toBeUndefined();
    await expect(store.get('cache:1')).resolves.toBeUndefined();
    await expect(store.setIfAbsent('jti:1', '1', 60_000)).resolves.toBe(false);
    await expect(store.setIfAbsent('jti:2', '1', 60_000)).resolves.toBe(false);
  });

  it('reports its fill in probe()', async () => {
    ({ store } = storeWith({ maxEntries: 100, maxBytes: 1024 * 1024 }));
    await store.setIfAbsent('jti:1', '1', 60_000);
    const status = await store.probe();
    expect(status).toMatchObject({ kind: 'memory', available: true, details: { entries: 1, maxEntries: 100, full: false } });
  });
});

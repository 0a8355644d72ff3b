import { ConfigError } from './config.error';
import { loadStoreConfig } from './load-store-config';

describe('loadStoreConfig', () => {
  it('is in memory by default, with bounded entries and bytes', () => {
    expect(loadStoreConfig({}, false)).toEqual({
      redisUrl: undefined,
      redisTimeoutMs: 250,
      memory: { maxEntries: 200_000, maxBytes: 32 * 1024 * 1024 },
      requiredForReadiness: false,
    });
  });

  it('takes redis:// and rediss:// URLs', () => {
    expect(loadStoreConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }, true).redisUrl).toBe('redis://127.0.0.1:6379');
    expect(loadStoreConfig({ REDIS_URL: 'rediss://:pw@redis.internal:6380/2' }, true).redisUrl).toBe('rediss://:pw@redis.internal:6380/2');
  });

  it('refuses another scheme without echoing the URL, which may hold a password', () => {
    const attempt = () => loadStoreConfig({ REDIS_URL: 'http://user:s3cret@redis.internal' }, false);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/^REDIS_URL: /);
    expect(attempt).not.toThrow(/s3cret/);
  });

  it.each([
    ['REDIS_TIMEOUT_MS', '0'],
    ['REDIS_TIMEOUT_MS', 'soon'],
    ['MEMORY_STORE_MAX_ENTRIES', '-1'],
    ['MEMORY_STORE_MAX_MB', '0'],
  ])('names %s when it is out of range (%s)', (setting, value) => {
    expect(() => loadStoreConfig({ [setting]: value }, false)).toThrow(new RegExp(`^${setting}: `));
  });
});

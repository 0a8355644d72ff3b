import { ConfigError } from './config.error';
import { integerSetting } from './integer-setting';
import { ConfigProblems } from './config-problems';
import { StoreConfig } from './store-config';

type Env = Readonly<Record<string, string | undefined>>;

/** Parses REDIS_URL, REDIS_TIMEOUT_MS, MEMORY_STORE_MAX_ENTRIES, MEMORY_STORE_MAX_MB; throws ConfigError. */
export function loadStoreConfig(env: Env, requiredForReadiness: boolean): StoreConfig {
  // Every bad setting is reported, not only the first (InvalidConfigError).
  const p = new ConfigProblems();
  const config: StoreConfig = {
    redisUrl: p.check(() => parseRedisUrl(env.REDIS_URL), undefined),
    redisTimeoutMs: p.check(() => integerSetting('REDIS_TIMEOUT_MS', env.REDIS_TIMEOUT_MS, 250, 10, 5000), 250),
    memory: {
      maxEntries: p.check(() => integerSetting('MEMORY_STORE_MAX_ENTRIES', env.MEMORY_STORE_MAX_ENTRIES, 200_000, 100, 10_000_000), 200_000),
      maxBytes: 1024 * 1024 * p.check(() => integerSetting('MEMORY_STORE_MAX_MB', env.MEMORY_STORE_MAX_MB, 32, 1, 4096), 32),
    },
    requiredForReadiness,
  };
  p.throwIfAnyInGroup();
  return config;
}

function parseRedisUrl(value: string | undefined): string | undefined {
  const url = value?.trim();
  if (!url) return undefined;
  // The URL may carry a password: the message never echoes it.
  if (!URL.canParse(url) || !/^rediss?:$/.test(new URL(url).protocol) || !new URL(url).hostname) {
    throw new ConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL such as redis://redis.internal:6379');
  }
  return url;
}


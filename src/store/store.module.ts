import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG_TOKEN } from '../config/app-config.provider';
import { MemoryStore } from './memory-store';
import { RedisStore } from './redis-store';
import { SHARED_STORE, SharedStoreBackend } from './shared-store';

/** Redis when REDIS_URL is set, so every instance sees the same entries; else this process's memory. */
export function createSharedStore(config: AppConfig): SharedStoreBackend {
  const { store } = config;
  return store.redisUrl
    ? new RedisStore({ url: store.redisUrl, timeoutMs: store.redisTimeoutMs })
    : new MemoryStore(store.memory);
}

/**
 * Global: provides SHARED_STORE (a SharedStore, see shared-store.ts) to every module. Closes the
 * Redis connection when the application shuts down.
 */
@Global()
@Module({
  providers: [{ provide: SHARED_STORE, useFactory: createSharedStore, inject: [APP_CONFIG_TOKEN] }],
  exports: [SHARED_STORE],
})
export class StoreModule implements OnApplicationShutdown {
  constructor(@Inject(SHARED_STORE) private readonly store: SharedStoreBackend) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG_TOKEN } from '../config/app-config.provider';
import { MemoryStore } from './memory-store';
import { SHARED_STORE, SharedStoreBackend } from './shared-store';

/**
 * Redis when REDIS_URL is set, so every instance sees the same entries; else this process's memory.
 * ioredis is loaded only when it is used.
 */
export async function createSharedStore(config: AppConfig): Promise<SharedStoreBackend> {
  const { store } = config;
  if (!store.redisUrl) return new MemoryStore(store.memory);
  const { RedisStore } = await import('./redis-store');
  return new RedisStore({ url: store.redisUrl, timeoutMs: store.redisTimeoutMs });
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

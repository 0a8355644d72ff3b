import request from 'supertest';
import Redis from 'ioredis';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RedisStore } from '../src/store/redis-store';
import { StoreUnavailableError } from '../src/store/shared-store';
import { bootApp } from './support/boot-app';
import { retrying } from './support/eventually';
import { RedisServer } from './support/redis-server';
import { TestIssuer } from './support/test-issuer';

const TIMEOUT_MS = 200;


describe('RedisStore against a real redis-server', () => {
  let redis: RedisServer;
  const stores: RedisStore[] = [];
  const open = () => {
    const store = new RedisStore({ url: redis.url, timeoutMs: TIMEOUT_MS });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterEach(async () => {
    redis.unpause();
    await redis.resume();
    for (const store of stores.splice(0)) await store.close();
  });
  afterAll(async () => {
    await redis?.close();
  });

  it('setIfAbsent is atomic across clients: of many concurrent attempts on one key exactly one wins', async () => {
    const [a, b] = [open(), open()];
    await retrying(() => a.get('warm-up'));
    await retrying(() => b.get('warm-up'));
    const key = `dpop:jti:${Math.random()}`;
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).setIfAbsent(key, '1', 60_000)));
    expect(answers.filter(Boolean)).toHaveLength(1);
  });

  it('stores with the TTL in milliseconds (PX), and get/set round-trip', async () => {
    const store = open();
    await retrying(() => store.get('warm-up'));
    await store.set('introspection:k', 'answer', 30_000);
    await expect(store.get('introspection:k')).resolves.toBe('answer');
    await expect(store.get('introspection:absent')).resolves.toBeUndefined();
    await store.setIfAbsent('dpop:jti:ttl', '1', 5_000);
    const raw = new Redis(redis.url);
    try {
      const pttl = await raw.pttl('dpop:jti:ttl');
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(5_000);
      expect(await raw.pttl('introspection:k')).toBeGreaterThan(5_000);
    } finally {
      raw.disconnect();
    }
  });

  it('rejects with StoreUnavailableError while Redis is down, and works again once it is back', async () => {
    const store = open();
    await retrying(() => store.get('warm-up'));
    await redis.stop();
    await expect(store.setIfAbsent('dpop:jti:down', '1', 60_000)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.get('x')).rejects.toBeInstanceOf(StoreUnavailableError);
    expect((await store.probe()).available).toBe(false);
    await redis.resume();
    await expect(retrying(() => store.setIfAbsent('dpop:jti:back', '1', 60_000))).resolves.toBe(true);
    expect((await store.probe()).available).toBe(true);
  });

  it('a hung Redis fails each call at its deadline instead of holding it', async () => {
    const store = open();
    await retrying(() => store.get('warm-up'));
    redis.pause();
    const calls = Array.from({ length: 50 }, (_, i) => store.setIfAbsent(`dpop:jti:hung-${i}`, '1', 60_000));
    for (const call of calls) await expect(call).rejects.toBeInstanceOf(StoreUnavailableError);
    expect((await store.probe()).available).toBe(false);
    redis.unpause();
    await expect(retrying(() => store.setIfAbsent('dpop:jti:after-hang', '1', 60_000))).resolves.toBe(true);
  });
});

describe('GET /api/health/ready with REDIS_URL', () => {
  let redis: RedisServer;
  let issuer: TestIssuer;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    redis = await RedisServer.start();
    issuer = await TestIssuer.start();
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, REDIS_URL: redis.url, REDIS_TIMEOUT_MS: String(TIMEOUT_MS) });
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.close();
    await redis?.close();
  });

  it('shows the store; a Redis outage shows there but does not make a Bearer deployment unready', async () => {
    const ready = () => request(app.getHttpServer()).get('/api/health/ready');
    const up = await retrying(async () => {
      const res = await ready().expect(200);
      if (!res.body.details.sharedStore.available) throw new Error('not connected yet');
      return res;
    });
    expect(up.body.details.sharedStore).toMatchObject({ status: 'up', kind: 'redis', available: true, connection: 'ready' });

    await redis.stop();
    const down = await ready().expect(200);
    expect(down.body.details.sharedStore).toMatchObject({ status: 'up', kind: 'redis', available: false, requiredForReadiness: false });
    const token = await issuer.sign();
    await request(app.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${token}`).expect(200);

    await redis.resume();
    await retrying(async () => {
      const res = await ready().expect(200);
      if (!res.body.details.sharedStore.available) throw new Error('not reconnected yet');
    });
  });

  it('never shows the Redis URL (it may hold a password)', async () => {
    const res = await request(app.getHttpServer()).get('/api/health/ready');
    expect(JSON.stringify(res.body)).not.toContain(redis.url);
  });
});

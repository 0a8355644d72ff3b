import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { Env } from '../src/config/load-app-config';
import { bootApp } from './support/boot-app';
import { eventually } from './support/eventually';
import { sample } from './support/prometheus-text';
import { RedisServer } from './support/redis-server';
import { expectInvalidToken } from './support/refusals';
import { RegisteredClient, TestIntrospectionEndpoint } from './support/test-introspection-endpoint';

const CLIENT: RegisteredClient = { id: 'rs-client', secret: 'rs-secret', method: 'client_secret_basic' };

describe('introspection answers shared through Redis (REDIS_URL)', () => {
  let endpoint: TestIntrospectionEndpoint;
  let redis: RedisServer;
  const apps: NestFastifyApplication[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(() => redis?.close());
  beforeEach(async () => {
    endpoint = await TestIntrospectionEndpoint.start([CLIENT]);
  });
  afterEach(async () => {
    while (apps.length) await apps.pop()!.close();
    await endpoint.close();
  });

  /** One instance of the server; every instance the test boots asks the same introspection endpoint. */
  const instance = async (env: Env = {}) => {
    const app = await bootApp({
      OKTA_ISSUER: endpoint.issuer,
      OKTA_TOKEN_VALIDATION: 'introspect',
      OKTA_INTROSPECTION_URI: endpoint.url,
      OKTA_INTROSPECTION_CLIENT_ID: CLIENT.id,
      OKTA_INTROSPECTION_CLIENT_SECRET: CLIENT.secret,
      ...env,
    });
    apps.push(app);
    // The Redis client queues nothing while it connects: wait until this instance reaches Redis.
    if (env.REDIS_URL) {
      const connected = await eventually(async () => {
        const res = await request(app.getHttpServer()).get('/api/health/ready');
        return res.body.details?.sharedStore?.available === true ? true : undefined;
      }, 15_000);
      if (!connected) throw new Error('the instance never reached Redis');
    }
    return app;
  };
  const get = (app: NestFastifyApplication, token: string) =>
    request(app.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${token}`);
  const activeToken = () => {
    const token = `shared-${Math.random().toString(36).slice(2)}`;
    endpoint.answers.set(token, endpoint.activeAnswer());
    return token;
  };
  const lookups = async (app: NestFastifyApplication, source: string) =>
    sample((await request(app.getHttpServer()).get('/metrics')).text, 'introspection_lookups_total', { source });

  it('asks the issuer once for a token that two instances see', async () => {
    const a = await instance({ REDIS_URL: redis.url });
    const b = await instance({ REDIS_URL: redis.url });
    const token = activeToken();
    await get(a, token).expect(200);
    await get(b, token).expect(200);
    await get(b, token).expect(200);
    expect(endpoint.callsFor(token)).toBe(1);
    expect(await lookups(b, 'shared')).toBe(1);
    expect(await lookups(b, 'local')).toBe(1);
  });

  it('shares inactive answers too, so a garbage token costs the fleet one call', async () => {
    const a = await instance({ REDIS_URL: redis.url });
    const b = await instance({ REDIS_URL: redis.url });
    expectInvalidToken(await get(a, 'garbage-shared'), 'inactive');
    expectInvalidToken(await get(b, 'garbage-shared'), 'inactive');
    expect(endpoint.callsFor('garbage-shared')).toBe(1);
  });

  it('without Redis each instance asks for itself (the sharing above comes from Redis)', async () => {
    const a = await instance();
    const b = await instance();
    const token = activeToken();
    await get(a, token).expect(200);
    await get(b, token).expect(200);
    expect(endpoint.callsFor(token)).toBe(2);
  });

  it('keeps validating when Redis is down: the issuer is asked instead, never a 5xx', async () => {
    const a = await instance({ REDIS_URL: redis.url });
    const b = await instance({ REDIS_URL: redis.url });
    await redis.stop();
    try {
      const token = activeToken();
      await get(a, token).expect(200);
      await get(b, token).expect(200);
      expect(endpoint.callsFor(token)).toBe(2);
    } finally {
      await redis.resume();
    }
  });
});

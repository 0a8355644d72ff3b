import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { REFUSAL_DESCRIPTIONS } from '../src/auth/errors/refusal-reason';
import { bootApp, CapturingLogger } from './support/boot-app';
import { DpopKey } from './support/dpop-proof';
import { retrying } from './support/eventually';
import { RedisServer } from './support/redis-server';
import { TestIssuer } from './support/test-issuer';

const BASE = 'https://api.example.test';
const MESSAGES = `${BASE}/api/messages`;


describe('DPoP replay detection shared through a real Redis', () => {
  let redis: RedisServer;
  let issuer: TestIssuer;
  let key: DpopKey;
  /** OKTA_DPOP=allowed. */
  let a: NestFastifyApplication;
  /** OKTA_DPOP=required: every request needs the store, so readiness depends on it. */
  let b: NestFastifyApplication;
  const logsOfA = new CapturingLogger();

  const dpop = async (app: NestFastifyApplication, token: string, proof?: string) =>
    request(app.getHttpServer())
      .get('/api/messages')
      .set('Authorization', `DPoP ${token}`)
      .set('DPoP', proof ?? (await key.proof('GET', MESSAGES, token)));
  const ready = (app: NestFastifyApplication) => request(app.getHttpServer()).get('/api/health/ready');
  const storeUp = async (app: NestFastifyApplication) => {
    const res = await ready(app);
    if (res.status !== 200 || !res.body.details.sharedStore.available) throw new Error('store not available yet');
  };

  beforeAll(async () => {
    redis = await RedisServer.start();
    issuer = await TestIssuer.start();
    key = await DpopKey.generate();
    const env = { OKTA_ISSUER: issuer.issuer, PUBLIC_BASE_URL: BASE, REDIS_URL: redis.url, REDIS_TIMEOUT_MS: '200' };
    b = await bootApp({ ...env, OKTA_DPOP: 'required' });
    // Booted last: Nest's logger is process-wide, so the capture must be the last one installed.
    a = await bootApp(env, { logger: logsOfA });
    await retrying(() => storeUp(a));
    await retrying(() => storeUp(b));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await issuer?.close();
    await redis?.close();
  });

  it('two instances refuse a proof replayed from one to the other', async () => {
    const token = await issuer.sign({ cnf: { jkt: key.jkt } });
    const proof = await key.proof('GET', MESSAGES, token);
    expect((await dpop(a, token, proof)).status).toBe(200);
    const replayed = await dpop(b, token, proof);
    expect(replayed.status).toBe(401);
    expect(replayed.body.message).toBe(REFUSAL_DESCRIPTIONS.dpop_replay);

    const other = await key.proof('GET', MESSAGES, token);
    expect((await dpop(b, token, other)).status).toBe(200);
    expect((await dpop(a, token, other)).body.message).toBe(REFUSAL_DESCRIPTIONS.dpop_replay);
  });

  it('Redis stopped: DPoP refused with the reason, Bearer unaffected, readiness says so; Redis back: DPoP works again', async () => {
    const token = await issuer.sign({ cnf: { jkt: key.jkt } });
    const bearer = await issuer.sign();
    await redis.stop();

    const refused = await dpop(a, token);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toContain(
      `error="invalid_dpop_proof", error_description="${REFUSAL_DESCRIPTIONS.dpop_store_unavailable}"`,
    );
    expect((await dpop(b, token)).body.message).toBe(REFUSAL_DESCRIPTIONS.dpop_store_unavailable);
    expect(logsOfA.lines.some((line) => line.includes('"reason":"dpop_store_unavailable"'))).toBe(true);

    await request(a.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${bearer}`).expect(200);

    // Bearer and DPoP allowed: still ready (Bearer works), the store shown unavailable.
    const readyA = await ready(a).expect(200);
    expect(readyA.body.details.sharedStore).toMatchObject({ status: 'up', kind: 'redis', available: false, requiredForReadiness: false });
    // DPoP required: nothing can be served, so not ready.
    const readyB = await ready(b).expect(503);
    expect(readyB.body.details.sharedStore).toMatchObject({ status: 'down', kind: 'redis', available: false, requiredForReadiness: true });

    await redis.resume();
    await retrying(() => storeUp(b));
    await retrying(async () => {
      const res = await dpop(a, token);
      if (res.status !== 200) throw new Error(`still ${res.status}`);
    });
    expect((await dpop(b, token)).status).toBe(200);
  });
});

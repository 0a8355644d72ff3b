import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootApp } from './support/boot-app';
import { sample } from './support/prometheus-text';
import { TestIssuer } from './support/test-issuer';

describe('GET /metrics', () => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication;

  const scrape = async () => {
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    return res.text;
  };
  const decisions = (text: string, outcome: string, reason: string) =>
    sample(text, 'auth_decisions_total', { outcome, reason });

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_JWKS_COOLDOWN: '1' });
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.close();
  });

  it('answers in Prometheus text format without a token, outside the /api prefix', async () => {
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers['cache-control']).toBe('no-store');
    await request(app.getHttpServer()).get('/api/metrics').expect(404);
  });

  it('includes the default process metrics', async () => {
    const text = await scrape();
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('starts every refusal reason at 0, so alerts can use rate() before the first refusal', async () => {
    const text = await scrape();
    for (const reason of ['missing_token', 'expired', 'wrong_audience', 'unknown_kid', 'keys_unavailable', 'insufficient_scope']) {
      expect(decisions(text, 'refused', reason)).toBeDefined();
    }
  });

  it('counts allowed and refused decisions by reason', async () => {
    const server = app.getHttpServer();
    const before = await scrape();
    await request(server).get('/api/messages').set('Authorization', `Bearer ${await issuer.sign()}`).expect(200);
    await request(server).get('/api/messages').set('Authorization', `Bearer ${await issuer.sign()}`).expect(200);
    await request(server).get('/api/messages').expect(401);
    await request(server)
      .get('/api/messages')
      .set('Authorization', `Bearer ${await issuer.sign({ exp: Math.floor(Date.now() / 1000) - 600 })}`)
      .expect(401);
    // Public routes are no authentication decision.
    await request(server).get('/api/health').expect(200);
    const after = await scrape();

    expect(decisions(after, 'allowed', 'none')! - decisions(before, 'allowed', 'none')!).toBe(2);
    expect(decisions(after, 'refused', 'missing_token')! - decisions(before, 'refused', 'missing_token')!).toBe(1);
    expect(decisions(after, 'refused', 'expired')! - decisions(before, 'refused', 'expired')!).toBe(1);
    expect(decisions(after, 'refused', 'wrong_audience')! - decisions(before, 'refused', 'wrong_audience')!).toBe(0);
  });

  it('reports the verified tokens held and their estimated bytes', async () => {
    const server = app.getHttpServer();
    const before = await scrape();
    const token = await issuer.sign();
    // Admitted on its second verification, then answered from the cache.
    for (let i = 0; i < 3; i++) await request(server).get('/api/messages').set('Authorization', `Bearer ${token}`).expect(200);
    const after = await scrape();
    expect(sample(after, 'verified_token_cache_entries')! - sample(before, 'verified_token_cache_entries')!).toBe(1);
    expect(sample(after, 'verified_token_cache_bytes')!).toBeGreaterThan(sample(before, 'verified_token_cache_bytes')!);
  });

  it('observes request durations by route template and status, with unmatched paths pooled', async () => {
    const server = app.getHttpServer();
    const count = (text: string, labels: Record<string, string>) =>
      sample(text, 'http_request_duration_seconds_count', labels) ?? 0;
    const before = await scrape();
    await request(server).get('/api/messages').set('Authorization', `Bearer ${await issuer.sign()}`).expect(200);
    await request(server).get('/api/messages').expect(401);
    await request(server).get('/api/no-such-thing-1').expect(404);
    await request(server).get('/api/no-such-thing-2').expect(404);
    const after = await scrape();

    const ok = { method: 'GET', route: '/api/messages', status_code: '200' };
    const refused = { method: 'GET', route: '/api/messages', status_code: '401' };
    const unmatched = { method: 'GET', route: 'unmatched', status_code: '404' };
    expect(count(after, ok) - count(before, ok)).toBe(1);
    expect(count(after, refused) - count(before, refused)).toBe(1);
    expect(count(after, unmatched) - count(before, unmatched)).toBe(2);
    expect(after).not.toContain('no-such-thing');
    expect(sample(after, 'http_request_duration_seconds_sum', ok)).toBeGreaterThan(0);
  });

  it('counts key fetches by result and reports the keys held and the last success', async () => {
    const server = app.getHttpServer();
    const fetches = (text: string, result: string) => sample(text, 'jwks_fetches_total', { result })!;
    const before = await scrape();
    expect(fetches(before, 'success')).toBeGreaterThanOrEqual(1);
    expect(sample(before, 'jwks_keys')).toBe(1);
    const lastSuccess = sample(before, 'jwks_last_success_seconds')!;
    expect(Math.abs(lastSuccess - Date.now() / 1000)).toBeLessThan(60);

    // A rotated key triggers a refetch: success, and now two keys.
    await issuer.addKey();
    await new Promise((r) => setTimeout(r, 1100)); // past OKTA_JWKS_COOLDOWN
    await request(server).get('/api/messages').set('Authorization', `Bearer ${await issuer.sign()}`).expect(200);
    const rotated = await scrape();
    expect(fetches(rotated, 'success') - fetches(before, 'success')).toBe(1);
    expect(sample(rotated, 'jwks_keys')).toBe(2);
    expect(sample(rotated, 'jwks_last_success_seconds')).toBeGreaterThan(lastSuccess);

    // An unknown kid while the issuer is down: a failed fetch, cached keys kept.
    issuer.mode = 'down';
    await new Promise((r) => setTimeout(r, 1100));
    await request(server)
      .get('/api/messages')
      .set('Authorization', `Bearer ${await issuer.sign({}, { kid: await issuer.addKey() })}`)
      .expect(401);
    issuer.mode = 'up';
    const failed = await scrape();
    expect(fetches(failed, 'error') - fetches(rotated, 'error')).toBe(1);
    expect(sample(failed, 'jwks_keys')).toBe(2);
    expect(sample(failed, 'jwks_last_success_seconds')).toBe(sample(rotated, 'jwks_last_success_seconds'));
  });
});

describe('metrics settings', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterAll(async () => {
    await issuer?.close();
  });

  it('METRICS_ENABLED=false serves no /metrics', async () => {
    const app = await bootApp({ OKTA_ISSUER: issuer.issuer, METRICS_ENABLED: 'false' });
    try {
      await request(app.getHttpServer()).get('/metrics').expect(404);
      await request(app.getHttpServer()).get('/api/health').expect(200);
    } finally {
      await app.close();
    }
  });

  it('keeps separate counters for two applications in one process', async () => {
    const a = await bootApp({ OKTA_ISSUER: issuer.issuer });
    const b = await bootApp({ OKTA_ISSUER: issuer.issuer });
    try {
      await request(a.getHttpServer()).get('/api/messages').expect(401);
      const missing = async (app: NestFastifyApplication) =>
        sample((await request(app.getHttpServer()).get('/metrics')).text, 'auth_decisions_total', {
          outcome: 'refused',
          reason: 'missing_token',
        });
      expect(await missing(a)).toBe(1);
      expect(await missing(b)).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

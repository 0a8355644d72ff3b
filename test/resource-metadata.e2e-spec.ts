import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootApp } from './support/boot-app';
import { ProbeModule } from './support/probe.module';
import { TestIssuer } from './support/test-issuer';

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** The `resource_metadata` URL a 401 names (RFC 9728 §5.1). */
async function challengedMetadataUrl(app: NestFastifyApplication): Promise<string> {
  const res = await request(app.getHttpServer()).get('/api/messages').expect(401);
  const url = /resource_metadata="([^"]+)"/.exec(res.headers['www-authenticate'])?.[1];
  expect(url).toEqual(expect.any(String));
  return url!;
}

/** RFC 9728 protected-resource metadata, served where §3.1 puts it for each PUBLIC_BASE_URL. */
describe('protected resource metadata (RFC 9728)', () => {
  let issuer: TestIssuer;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterAll(async () => {
    await issuer?.close();
  });

  describe('PUBLIC_BASE_URL with paths (a proxy strips them)', () => {
    let app: NestFastifyApplication;
    const get = (path: string) => request(app.getHttpServer()).get(path);

    beforeAll(async () => {
      app = await bootApp({
        OKTA_ISSUER: issuer.issuer,
        PUBLIC_BASE_URL: 'https://api.example.com/orders, https://orders.example.net, https://example.com/a/b, https://api2.example.com/orders',
      });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('serves the document the challenge names, whose resource is the URL it was made from (§3.1, §3.3)', async () => {
      const url = await challengedMetadataUrl(app);
      expect(url).toBe(`https://api.example.com${WELL_KNOWN}/orders`);
      // The proxy routes the well-known path to this server as it is (it is not under /orders).
      const res = await get(new URL(url).pathname).expect(200);
      expect(res.body.resource).toBe('https://api.example.com/orders');
      expect(res.headers['cache-control']).toBe('public, max-age=3600');
    });

    it("serves one document per configured path, each naming its own resource; a path's first URL wins", async () => {
      expect((await get(`${WELL_KNOWN}/a/b`).expect(200)).body.resource).toBe('https://example.com/a/b');
      expect((await get(WELL_KNOWN).expect(200)).body.resource).toBe('https://orders.example.net');
    });

    it('describes the same resource server in every document but for the resource', async () => {
      const { resource: a, ...restA } = (await get(`${WELL_KNOWN}/orders`)).body;
      const { resource: b, ...restB } = (await get(`${WELL_KNOWN}/a/b`)).body;
      expect([a, b]).toEqual(['https://api.example.com/orders', 'https://example.com/a/b']);
      expect(restA).toEqual(restB);
      expect(restA.authorization_servers).toEqual([issuer.issuer]);
    });

    it('answers 404 for a path no PUBLIC_BASE_URL has, and never serves the documents under /api', async () => {
      for (const path of [`${WELL_KNOWN}/other`, `${WELL_KNOWN}/orders/`, `${WELL_KNOWN}/ORDERS`, `${WELL_KNOWN}/a`, `/api${WELL_KNOWN}/orders`]) {
        expect({ path, status: (await get(path)).status }).toEqual({ path, status: 404 });
      }
    });
  });

  it('lists in scopes_supported every scope a route asks for (@Scopes, @AnyScope) and OKTA_REQUIRED_SCOPES, sorted, once each', async () => {
    const app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_REQUIRED_SCOPES: 'openid messages:read' }, { imports: [ProbeModule] });
    try {
      const res = await request(app.getHttpServer()).get(WELL_KNOWN).expect(200);
      expect(res.body.scopes_supported).toEqual([
        'admin',
        'eu',
        'messages:admin',
        'messages:read',
        'messages:write',
        'openid',
        'reports:export',
        'reports:read',
        'reports:write',
        'us',
      ]);
    } finally {
      await app.close();
    }
  });

  it('serves no document at the bare well-known path when every PUBLIC_BASE_URL has a path: none would name its resource', async () => {
    const app = await bootApp({ OKTA_ISSUER: issuer.issuer, PUBLIC_BASE_URL: 'https://api.example.com/orders' });
    try {
      await request(app.getHttpServer()).get(WELL_KNOWN).expect(404);
      await request(app.getHttpServer()).get(`${WELL_KNOWN}/orders`).expect(200);
    } finally {
      await app.close();
    }
  });
});

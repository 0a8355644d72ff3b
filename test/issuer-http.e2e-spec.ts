import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootApp, CapturingLogger } from './support/boot-app';
import { expectInvalidToken } from './support/refusals';
import { RecordingProxy } from './support/recording-proxy';
import { TestIssuer } from './support/test-issuer';

/** Issue 9 §3: discovery and JWKS fetches behave like a good HTTP client. */
describe('fetching the issuer metadata and keys', () => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication | undefined;
  let logger: CapturingLogger;

  const call = (token: string) => request(app!.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${token}`);
  const expectOk = async (token: string) => {
    const res = await call(token);
    expect({ status: res.status, challenge: res.headers['www-authenticate'] }).toEqual({ status: 200, challenge: undefined });
  };
  const boot = async (env: Record<string, string> = {}) => {
    logger = new CapturingLogger();
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, ...env }, { logger });
  };

  beforeEach(async () => {
    issuer = await TestIssuer.start();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await issuer.close();
  });

  it('asks for application/jwk-set+json, so a key endpoint that answers 406 without it serves the keys', async () => {
    issuer.jwksRequiresAccept = 'application/jwk-set+json';
    await boot();
    await expectOk(await issuer.sign());
    expect(issuer.lastHeaders.jwks?.accept).toBe('application/jwk-set+json, application/json');
    expect(issuer.lastHeaders.discovery?.accept).toBe('application/json');
  });

  describe('through the proxy the environment names', () => {
    let proxy: RecordingProxy;
    beforeEach(async () => {
      proxy = await RecordingProxy.start();
    });
    afterEach(async () => {
      await app?.close();
      app = undefined;
      await proxy.close();
    });
    const issuerHost = () => new URL(issuer.origin).host;

    it.each(['HTTP_PROXY', 'http_proxy'])('sends discovery and JWKS requests through %s', async (setting) => {
      await boot({ [setting]: proxy.url });
      await expectOk(await issuer.sign());
      expect(issuer.requests).toMatchObject({ discovery: 1, jwks: 1 });
      // Each request to the issuer went through the proxy (a CONNECT tunnel to the issuer's host).
      expect(proxy.requests.length).toBeGreaterThanOrEqual(1);
      expect(proxy.requests.every((r) => r.target === issuerHost() || r.target.startsWith(issuer.origin))).toBe(true);
    });

    it('goes direct to a host NO_PROXY excludes', async () => {
      await boot({ HTTP_PROXY: proxy.url, NO_PROXY: `localhost,${new URL(issuer.origin).hostname}` });
      await expectOk(await issuer.sign());
      expect(issuer.requests).toMatchObject({ discovery: 1, jwks: 1 });
      expect(proxy.requests).toEqual([]);
    });

    it('refuses to start with a proxy setting that is not a URL, naming the setting', async () => {
      await expect(boot({ HTTPS_PROXY: 'proxy.internal:3128' })).rejects.toThrow(/^HTTPS_PROXY: must be an absolute http\(s\) URL/);
    });
  });

  it('refuses a redirect from the JWKS URL, and the log says it was a redirect and where to', async () => {
    issuer.jwksRedirectTo = 'https://keys.example.com/other/keys';
    await boot();
    expectInvalidToken(await call(await issuer.sign()), 'keys_unavailable');
    expect(
      logger.lines.some(
        (l) => l.startsWith('warn') && l.includes('redirected (HTTP 302) to https://keys.example.com/other/keys'),
      ),
    ).toBe(true);
  });

  describe('reads what RFC 8259 and RFC 9110 let a recipient accept', () => {
    const jwksText = () => JSON.stringify(issuer.publishedJwks());

    it('a JWK Set starting with a UTF-8 byte order mark (RFC 8259 §8.1)', async () => {
      issuer.rawJwks = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(jwksText())]);
      await boot();
      await expectOk(await issuer.sign());
    });

    it('application/jwk-set+json with parameters, whitespace around the JSON, and members it does not know', async () => {
      const body = { ...issuer.publishedJwks(), 'x-extension': { rotated: true } };
      issuer.rawJwks = `\r\n\t ${JSON.stringify(body, null, 2)} \n`;
      issuer.jwksContentType = 'application/jwk-set+json; charset=utf-8';
      await boot();
      await expectOk(await issuer.sign());
    });

    it('203 Non-Authoritative Information, as a transforming proxy answers (RFC 9110 §15.3.4)', async () => {
      issuer.jwksStatus = 203;
      await boot();
      await expectOk(await issuer.sign());
    });

    it('but not 204 No Content, which carries no key set', async () => {
      issuer.jwksStatus = 204;
      await boot();
      expectInvalidToken(await call(await issuer.sign()), 'keys_unavailable');
    });
  });
});

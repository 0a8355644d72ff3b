import { createHash } from 'node:crypto';
import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootApp, CapturingLogger } from './support/boot-app';
import { eventually } from './support/eventually';
import { expectInvalidToken } from './support/refusals';
import { craftToken, rs256, TestIssuer } from './support/test-issuer';

/** Issue 9 §2: the JWKS is a set of keys, and a successful answer is the truth. */
describe('what the JWK Set says is the truth', () => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication | undefined;
  let logs: CapturingLogger;

  const call = (token: string) => request(app!.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${token}`);
  const ready = () => request(app!.getHttpServer()).get('/api/health/ready');
  const expectOk = async (token: string) => {
    const res = await call(token);
    expect({ status: res.status, challenge: res.headers['www-authenticate'] }).toEqual({ status: 200, challenge: undefined });
  };
  const boot = async (env: Record<string, string> = {}) => {
    logs = new CapturingLogger();
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, ...env }, { logger: logs });
  };

  beforeEach(async () => {
    issuer = await TestIssuer.start();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await issuer.close();
  });

  describe('a key the issuer withdraws is refused at once, even when no key is left', () => {
    /** Refreshes due every second, so each request after a second makes the server ask again. */
    const SOON = { OKTA_JWKS_REFRESH_INTERVAL: '1', OKTA_JWKS_COOLDOWN: '1' };

    async function expectWithdrawn(withdraw: (kid: string) => void) {
      await boot(SOON);
      const kid = issuer.currentKid;
      const polling = await issuer.sign();
      // Twice, so the verified-token cache holds it (admitted on its second verification).
      await expectOk(polling);
      await expectOk(polling);
      await ready().expect(200);

      withdraw(kid);
      // New tokens signed by the withdrawn key, until one is refused (the cap is far below max-stale, 24 h).
      const refused = await eventually(async () => {
        const res = await call(await issuer.sign({}, { kid }));
        return res.status === 401 ? res : undefined;
      }, 15_000);
      expect(refused).toBeDefined();
      expectInvalidToken(refused!, 'unknown_kid');
      // The cached token was verified by that key: its entry is void too.
      expectInvalidToken(await call(polling), 'unknown_kid');
      const notReady = await ready().expect(503);
      expect(notReady.body.details.signingKeys).toMatchObject({ status: 'down', keys: 0, lastFetch: 'success', reason: 'no_usable_key' });
      expect(logs.lines.some((l) => l.startsWith('warn') && l.includes('publishes no usable signing key'))).toBe(true);
    }

    it('when the JWKS answers 200 with {"keys":[]}', async () => {
      await expectWithdrawn((kid) => issuer.withdrawKey(kid));
      expect(issuer.publishedJwks()).toEqual({ keys: [] });
    });

    it('when the JWKS answers 200 with the same key re-marked "use":"enc"', async () => {
      await expectWithdrawn((kid) => Object.assign(issuer.publicJwkOf(kid), { use: 'enc' }));
    });

    it('but an answer that is not a JWK Set is a failed fetch: cached keys keep serving', async () => {
      await boot(SOON);
      await expectOk(await issuer.sign());
      issuer.rawJwks = '{"keys":"none"}';
      const jwksBefore = issuer.requests.jwks;
      // Every request past the refresh interval asks again; each answer is refused as not a JWK Set.
      const refetched = await eventually(async () => {
        await expectOk(await issuer.sign());
        return issuer.requests.jwks > jwksBefore + 1 || undefined;
      }, 15_000);
      expect(refetched).toBe(true);
      await expectOk(await issuer.sign());
      expect(logs.lines.some((l) => l.includes('not a JWK Set'))).toBe(true);
    });
  });

  describe('unsafe keys are skipped when the JWK Set is read, and the log says which and why', () => {
    it('refuses a token "signed" under an RSA key with public exponent 1 (the padded hash, no private key)', async () => {
      await issuer.addKey('e-one', 'RS256', 2048, { e: 'AQ' });
      await boot();
      // RSASSA-PKCS1-v1_5 with e = 1: the signature is the encoded message itself (RFC 8017 §9.2).
      const forged = craftToken({ alg: 'RS256', kid: 'e-one' }, issuer.claims(), (input) => {
        const digestInfo = Buffer.concat([
          Buffer.from('3031300d060960864801650304020105000420', 'hex'),
          createHash('sha256').update(input).digest(),
        ]);
        const padding = Buffer.alloc(256 - digestInfo.length - 3, 0xff);
        return Buffer.concat([Buffer.from([0x00, 0x01]), padding, Buffer.from([0x00]), digestInfo]);
      });
      expectInvalidToken(await call(forged), 'unknown_kid');
      expect(logs.lines.some((l) => l.startsWith('warn') && l.includes('e-one') && l.includes('public exponent 1'))).toBe(true);
    });

    it('skips an RSA key below 2048 bits, saying so', async () => {
      const small = await issuer.addKey('small', 'RS256', 1024);
      await boot();
      const token = craftToken({ alg: 'RS256', kid: small }, issuer.claims(), rs256(issuer.privateKeyOf(small)));
      expectInvalidToken(await call(token), 'unknown_kid');
      expect(logs.lines.some((l) => l.includes('small') && l.includes('1024 bits'))).toBe(true);
    });

    it('skips an EC key whose point is not on its curve, saying so', async () => {
      const kid = await issuer.addKey('off-curve', 'ES256');
      const jwk = issuer.publicJwkOf(kid);
      jwk.y = jwk.x;
      await boot({ OKTA_ALGORITHMS: 'RS256,ES256' });
      expectInvalidToken(await call(await issuer.sign({}, { kid })), 'unknown_kid');
      expect(logs.lines.some((l) => l.includes('off-curve') && l.includes('not a valid EC public key'))).toBe(true);
    });
  });

  describe('keys are identified by more than kid', () => {
    it('refuses a kid-less token as ambiguous when two kid-less keys are published, whichever signed it', async () => {
      const original = issuer.currentKid;
      const first = await issuer.addKey('first', 'RS256', 2048, { kid: undefined });
      const second = await issuer.addKey('second', 'RS256', 2048, { kid: undefined });
      issuer.removeKey(original);
      await boot();
      for (const kid of [first, second]) {
        expectInvalidToken(await call(await issuer.sign({}, { kid, header: { kid: undefined } })), 'ambiguous_kid');
      }
    });

    it('picks, among entries sharing a kid, the one whose kty and alg fit the token (RFC 7517 §4.5)', async () => {
      const rsa = await issuer.addKey('shared-rsa', 'RS256', 2048, { kid: 'shared' });
      const ec = await issuer.addKey('shared-ec', 'ES256', 2048, { kid: 'shared' });
      await boot({ OKTA_ALGORITHMS: 'RS256,ES256' });
      await expectOk(await issuer.sign({}, { kid: rsa, header: { kid: 'shared' } }));
      await expectOk(await issuer.sign({}, { kid: ec, header: { kid: 'shared' } }));
    });

    it('picks the signing entry of a kid also published for encryption', async () => {
      const sig = await issuer.addKey('dual-sig', 'RS256', 2048, { kid: 'dual' });
      // An encryption key under the same kid, published after it: by `use`, and by an encryption `alg`.
      await issuer.addKey('dual-enc', 'RS256', 2048, { kid: 'dual', use: 'enc', alg: 'RSA-OAEP' });
      await issuer.addKey('dual-oaep', 'RS256', 2048, { kid: 'dual', use: undefined, alg: 'RSA-OAEP-256' });
      await boot();
      await expectOk(await issuer.sign({}, { kid: sig, header: { kid: 'dual' } }));
    });

    it('treats "kid":"" as a kid, not as "no kid"', async () => {
      const original = issuer.currentKid;
      const emptyKid = await issuer.addKey('empty-kid', 'RS256', 2048, { kid: '' });
      const noKid = await issuer.addKey('no-kid', 'RS256', 2048, { kid: undefined });
      issuer.removeKey(original);
      await boot();
      await expectOk(await issuer.sign({}, { kid: emptyKid, header: { kid: '' } }));
      // The kid-less key is not the key named "": a token naming "" but signed by it fails its signature.
      expectInvalidToken(await call(await issuer.sign({}, { kid: noKid, header: { kid: '' } })), 'bad_signature');
      // And a token without kid could be either key.
      expectInvalidToken(await call(await issuer.sign({}, { kid: noKid, header: { kid: undefined } })), 'ambiguous_kid');
    });
  });
});

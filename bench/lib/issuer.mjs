import { createServer } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import { exportJWK, SignJWT } from 'jose';

/**
 * A local authorization server for the bench and the soak: OpenID discovery and a JWKS on
 * 127.0.0.1, real RS256 keys, and counters of what the resource servers fetch.
 * `mode` lets the soak make the key endpoints fail ('down' = 503) or never answer ('hang').
 */
export class LocalIssuer {
  mode = 'up';
  /** Requests seen, and JWKS documents actually served (what a server could have learnt). */
  counts = { discovery: 0, jwks: 0, jwksServed: 0, introspect: 0 };
  #keys = new Map();
  #hanging = new Set();
  #server;
  #activeKid = '';
  #keySerial = 0;

  /** `keepAlive`: keep idle connections open, as a real issuer does (the bench's introspection calls); off for the soak. */
  static async start({ keepAlive = false } = {}) {
    const issuer = new LocalIssuer();
    issuer.#server = createServer((req, res) => issuer.#handle(req, res));
    // Keep-alive off: every fetch is its own connection, so 'hang' can be ended by closing sockets.
    if (!keepAlive) issuer.#server.keepAliveTimeout = 1;
    await new Promise((resolve) => issuer.#server.listen(0, '127.0.0.1', resolve));
    issuer.origin = `http://127.0.0.1:${issuer.#server.address().port}`;
    issuer.addKey();
    return issuer;
  }

  /** Okta's custom authorization server layout, so both peers discover the same way as in production. */
  get issuer() {
    return `${this.origin}/oauth2/default`;
  }

  get currentKid() {
    return this.#activeKid;
  }

  /** Every key's kid, published or not, in the order the JWKS lists them. */
  get kids() {
    return [...this.#keys.keys()];
  }

  /**
   * A new signing key, used for new tokens from now on. Unpublished keys let the soak sign tokens
   * ahead of a rotation (signing blocks the event loop the load generator shares).
   */
  addKey({ publish = true } = {}) {
    const kid = `bench-${++this.#keySerial}`;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.#keys.set(kid, { privateKey, publicKey, jwk: null, published: publish });
    this.#activeKid = kid;
    return kid;
  }

  publishKey(kid) {
    this.#keys.get(kid).published = true;
  }

  /** Takes the key out of the JWKS; tokens signed with it must stop working once servers refetch. */
  unpublishKey(kid) {
    this.#keys.get(kid).published = false;
  }

  privateKeyOf(kid) {
    return this.#keys.get(kid).privateKey;
  }

  /** Claims shaped like an Okta access token for api://default; `overrides` may drop a claim with undefined. */
  claims(overrides = {}) {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      ver: 1,
      iss: this.issuer,
      aud: 'api://default',
      iat: now,
      exp: now + 3600,
      cid: '0oa-bench-spa',
      uid: '00u-bench-user',
      scp: ['openid', 'profile', 'email'],
      sub: 'bench@example.com',
      ...overrides,
    };
    for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
    return claims;
  }

  /** A token signed by this issuer (the current key unless `kid` names another). */
  sign(overrides = {}, kid = this.#activeKid) {
    return signToken(this.claims(overrides), kid, this.privateKeyOf(kid));
  }

  async close() {
    for (const res of this.#hanging) res.destroy();
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  async #handle(req, res) {
    const path = req.url.split('?')[0];
    if (req.method === 'POST' && path === '/oauth2/default/v1/introspect') return this.#introspect(req, res);
    const isDiscovery = path === '/oauth2/default/.well-known/openid-configuration';
    const isJwks = path === '/oauth2/default/v1/keys';
    if (!isDiscovery && !isJwks) return void res.writeHead(404).end();
    this.counts[isDiscovery ? 'discovery' : 'jwks']++;
    if (this.mode === 'hang') return void this.#hanging.add(res.on('close', () => this.#hanging.delete(res)));
    if (this.mode === 'down') return void res.writeHead(503).end();
    const body = isDiscovery
      ? {
          issuer: this.issuer,
          jwks_uri: `${this.issuer}/v1/keys`,
          authorization_endpoint: `${this.issuer}/v1/authorize`,
          token_endpoint: `${this.issuer}/v1/token`,
          introspection_endpoint: `${this.issuer}/v1/introspect`,
          id_token_signing_alg_values_supported: ['RS256'],
        }
      : { keys: await this.#publicJwks() };
    if (isJwks) this.counts.jwksServed++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  /**
   * Okta's /v1/introspect for the bench's own tokens (RFC 7662), authenticated with BENCH_INTROSPECTION_CLIENT
   * over client_secret_basic. It reads the token's claims without verifying them: only the bench signs
   * tokens for it, and the point is the resource server's cost, not this issuer's.
   */
  async #introspect(req, res) {
    this.counts.introspect++;
    let body = '';
    for await (const chunk of req) body += chunk;
    const expected = `Basic ${Buffer.from(`${BENCH_INTROSPECTION_CLIENT.id}:${BENCH_INTROSPECTION_CLIENT.secret}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
    let answer = { active: false };
    try {
      const claims = JSON.parse(Buffer.from(new URLSearchParams(body).get('token').split('.')[1], 'base64url').toString());
      if (claims.iss === this.issuer && claims.exp > Date.now() / 1000) {
        answer = {
          active: true,
          scope: claims.scp.join(' '),
          username: claims.sub,
          exp: claims.exp,
          iat: claims.iat,
          sub: claims.sub,
          aud: claims.aud,
          iss: claims.iss,
          jti: claims.jti,
          token_type: 'Bearer',
          client_id: claims.cid,
          uid: claims.uid,
        };
      }
    } catch {
      // not one of ours: inactive
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }

  async #publicJwks() {
    const jwks = [];
    for (const [kid, key] of this.#keys) {
      if (!key.published) continue;
      key.jwk ??= { ...(await exportJWK(key.publicKey)), kid, alg: 'RS256', use: 'sig' };
      jwks.push(key.jwk);
    }
    return jwks;
  }
}

/** The confidential client the resource server introspects as in the bench. */
export const BENCH_INTROSPECTION_CLIENT = Object.freeze({ id: '0oa-bench-api', secret: 'bench-api-secret' });

export function signToken(claims, kid, privateKey, alg = 'RS256') {
  return new SignJWT(claims).setProtectedHeader({ alg, kid }).sign(privateKey);
}

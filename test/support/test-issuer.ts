import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { createSign, generateKeyPairSync, KeyObject } from 'node:crypto';
import { exportJWK, JWK, SignJWT } from 'jose';

/** How the issuer answers key and metadata requests, switchable mid-test. */
/** `stall`: headers and the start of the body, then nothing (a trickling server). */
export type IssuerMode = 'up' | 'down' | 'hang' | 'stall';

interface IssuerKey {
  kid: string;
  alg: string;
  privateKey: KeyObject;
  jwk: JWK;
}

export interface SignOptions {
  kid?: string;
  alg?: string;
  header?: Record<string, unknown>;
}

/**
 * A real authorization server for tests: node:http on 127.0.0.1 serving OpenID metadata and a JWKS
 * built from real keys, and signing real tokens with them. Counts what the resource server fetches.
 */
export class TestIssuer {
  /** `other` counts every request for any other path (e.g. an attacker's jku target). */
  readonly requests = { discovery: 0, jwks: 0, other: 0 };
  /** When each discovery request arrived (Date.now()): one per fetch attempt of a resource server. */
  readonly discoveryTimes: number[] = [];
  mode: IssuerMode = 'up';
  /** When set, discovery answers in this mode instead of `mode` (e.g. keys hang, metadata is up). */
  discoveryMode?: IssuerMode;
  /** Delay before answering discovery and JWKS requests, to hold a fetch in flight. */
  delayMs = 0;
  /** Where discovery says the keys are; deliberately not Okta's /v1/keys unless asked. */
  jwksPath = '/oauth2/default/keys-discovered';
  /** When set, discovery names this jwks_uri instead of the real one. */
  discoveryJwksUriOverride?: string;
  /** When set, discovery answers with this issuer instead of the real one. */
  discoveryIssuerOverride?: string;
  /**
   * When set, a `hang` or `stall` ends after this many ms and the answer is given as if `up`: a
   * request answered `keys_unavailable` was then answered before the hang ended, which is what a
   * deadline test asserts instead of a wall-clock bound.
   */
  hangMs?: number;
  /** When set, the JWKS endpoint answers with exactly these bytes (e.g. a byte order mark first). */
  rawJwks?: string | Buffer;
  /** Status and Content-Type of a JWKS answer given in mode `up`. */
  jwksStatus = 200;
  jwksContentType = 'application/json';
  /** When set, the JWKS endpoint answers 406 unless the request's Accept names this media type. */
  jwksRequiresAccept?: string;
  /** When set, the JWKS endpoint answers `302 Found` with this Location. */
  jwksRedirectTo?: string;
  /** The request headers of the last discovery and JWKS requests. */
  readonly lastHeaders: { discovery?: IncomingHttpHeaders; jwks?: IncomingHttpHeaders } = {};
  private readonly keys = new Map<string, IssuerKey>();
  /** Keys kept for signing but left out of the JWKS (see `withdrawKey`). */
  private readonly withdrawn = new Set<string>();
  private readonly hanging = new Set<ServerResponse>();
  private activeKid = '';

  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  /** Listens on 127.0.0.1 at `port` (any free port when 0). */
  static async start(listenPort = 0): Promise<TestIssuer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const issuer = new TestIssuer(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => issuer.handle(req, res));
    await issuer.addKey();
    return issuer;
  }

  get issuer(): string {
    return `${this.origin}/oauth2/default`;
  }

  get jwksUri(): string {
    return `${this.origin}${this.jwksPath}`;
  }

  /** Adds a signing key and makes it the one new tokens are signed with. */
  async addKey(
    kid = `k-${this.keys.size + 1}-${Date.now()}`,
    alg = 'RS256',
    modulusLength = 2048,
    /** Changes to the published JWK, e.g. `{ use: 'enc' }` or `{ alg: undefined }`. */
    jwkOverrides: Record<string, unknown> = {},
  ): Promise<string> {
    const { privateKey, publicKey } =
      alg.startsWith('ES')
        ? generateKeyPairSync('ec', { namedCurve: { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }[alg]! })
        : generateKeyPairSync('rsa', { modulusLength });
    const jwk = JSON.parse(JSON.stringify({ ...(await exportJWK(publicKey)), kid, alg, use: 'sig', ...jwkOverrides }));
    this.keys.set(kid, { kid, alg, privateKey, jwk });
    this.activeKid = kid;
    return kid;
  }

  removeKey(kid: string): void {
    this.keys.delete(kid);
  }

  /** Stops publishing a key, but keeps signing with it when asked: a withdrawn key's new tokens. */
  withdrawKey(kid: string): void {
    this.withdrawn.add(kid);
  }

  /** The JWK Set as published now. */
  publishedJwks(): { keys: JWK[] } {
    return { keys: [...this.keys.values()].filter((k) => !this.withdrawn.has(k.kid)).map((k) => k.jwk) };
  }

  get currentKid(): string {
    return this.activeKid;
  }

  privateKeyOf(kid: string): KeyObject {
    return this.keys.get(kid)!.privateKey;
  }

  publicJwkOf(kid: string): JWK {
    return this.keys.get(kid)!.jwk;
  }

  /** Claims shaped like an Okta access token for `api://default`. */
  claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return {
      ver: 1,
      jti: `AT.${Math.random().toString(36).slice(2)}`,
      iss: this.issuer,
      aud: 'api://default',
      iat: now,
      exp: now + 3600,
      cid: '0oa-test-spa',
      uid: '00u-test-user',
      scp: ['openid', 'profile', 'email'],
      sub: 'user@example.com',
      ...overrides,
    };
  }

  /** A token signed with a real key of this issuer (the active one unless `kid` says otherwise). */
  async sign(overrides: Record<string, unknown> = {}, options: SignOptions = {}): Promise<string> {
    const kid = options.kid ?? this.activeKid;
    const key = this.keys.get(kid);
    if (!key) throw new Error(`no key ${kid}`);
    const payload = Object.fromEntries(Object.entries(this.claims(overrides)).filter(([, v]) => v !== undefined));
    return new SignJWT(payload)
      .setProtectedHeader({ alg: options.alg ?? key.alg, kid, ...options.header })
      .sign(key.privateKey);
  }

  /** Total requests for discovery and keys. */
  get keyRequests(): number {
    return this.requests.discovery + this.requests.jwks;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    const isDiscovery = path === '/oauth2/default/.well-known/openid-configuration';
    const isJwks = path === this.jwksPath;
    if (isDiscovery) this.requests.discovery++;
    if (isDiscovery) this.discoveryTimes.push(Date.now());
    if (isJwks) this.requests.jwks++;
    if (isDiscovery) this.lastHeaders.discovery = req.headers;
    if (isJwks) this.lastHeaders.jwks = req.headers;
    if (!isDiscovery && !isJwks) {
      this.requests.other++;
      return void res.writeHead(404).end();
    }
    if (this.delayMs > 0) {
      this.hanging.add(res);
      setTimeout(() => {
        this.hanging.delete(res);
        this.answer(isDiscovery, res, req.headers);
      }, this.delayMs);
      return;
    }
    this.answer(isDiscovery, res, req.headers);
  }

  private answer(isDiscovery: boolean, res: ServerResponse, headers: IncomingHttpHeaders, mode = (isDiscovery && this.discoveryMode) || this.mode): void {
    if (res.destroyed) return;
    if (mode === 'hang') {
      this.hanging.add(res);
      if (this.hangMs !== undefined) setTimeout(() => this.answer(isDiscovery, res, headers, 'up'), this.hangMs);
      return;
    }
    if (mode === 'down') return void res.writeHead(503).end();
    if (mode === 'stall') {
      this.hanging.add(res);
      res.writeHead(200, { 'content-type': 'application/json' }).write('{"keys":[');
      const rest = this.publishedJwks().keys.map((k) => JSON.stringify(k)).join(',') + ']}';
      if (this.hangMs !== undefined) setTimeout(() => !res.destroyed && res.end(rest), this.hangMs);
      return;
    }
    if (!isDiscovery && this.jwksRedirectTo) return void res.writeHead(302, { location: this.jwksRedirectTo }).end();
    if (!isDiscovery && this.jwksRequiresAccept && !(headers.accept ?? '').includes(this.jwksRequiresAccept)) {
      return void res.writeHead(406, { 'content-type': 'text/plain' }).end('Not Acceptable');
    }
    if (!isDiscovery && this.rawJwks !== undefined) {
      return void res.writeHead(this.jwksStatus, { 'content-type': this.jwksContentType }).end(this.rawJwks);
    }
    const body = isDiscovery
      ? {
          issuer: this.discoveryIssuerOverride ?? this.issuer,
          jwks_uri: this.discoveryJwksUriOverride ?? this.jwksUri,
          authorization_endpoint: `${this.issuer}/v1/authorize`,
          token_endpoint: `${this.issuer}/v1/token`,
        }
      : this.publishedJwks();
    if (isDiscovery) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    res.writeHead(this.jwksStatus, { 'content-type': this.jwksContentType }).end(JSON.stringify(body));
  }
}

const b64url = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Builds a compact JWS by hand, for headers and algorithms no honest library would produce. */
export function craftToken(
  header: Record<string, unknown>,
  payload: Record<string, unknown> | string,
  sign: (signingInput: string) => Buffer = () => Buffer.alloc(0),
): string {
  const signingInput = `${b64url(header)}.${b64url(payload)}`;
  return `${signingInput}.${sign(signingInput).toString('base64url')}`;
}

/** An RS256 signer over a private key, for crafted tokens that must still verify. */
export function rs256(privateKey: KeyObject): (input: string) => Buffer {
  return (input) => createSign('RSA-SHA256').update(input).sign(privateKey);
}

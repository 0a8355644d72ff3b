import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export interface RegisteredClient {
  readonly id: string;
  readonly secret?: string;
  readonly method: ClientAuthMethod;
}

/** One request the endpoint received, as it understood it. */
export interface IntrospectionCall {
  readonly token: string;
  readonly tokenTypeHint?: string;
  readonly clientId?: string;
  readonly method?: ClientAuthMethod;
}

/**
 * `up`: answers; `down`: 503; `hang`: never answers; `garbage`: 200 with a body that is not JSON;
 * `huge`: an active answer of 100 KB; `redirect`: 307 to `redirectTo`.
 */
export type EndpointMode = 'up' | 'down' | 'hang' | 'garbage' | 'huge' | 'redirect';

/**
 * A real RFC 7662 introspection endpoint on 127.0.0.1 (node:http), for tests: it authenticates the
 * caller as RFC 6749 §2.3.1 says (Basic with form-urlencoded id and secret, or form parameters, or a
 * public client's client_id), answers each token from a table the test fills, and records every call.
 * It also serves OpenID metadata naming itself as `introspection_endpoint`.
 */
export class TestIntrospectionEndpoint {
  readonly calls: IntrospectionCall[] = [];
  /** Answers by token; any other token is inactive. */
  readonly answers = new Map<string, Record<string, unknown>>();
  mode: EndpointMode = 'up';
  redirectTo?: string;
  /** Calls being answered right now, and the most there ever were at once. */
  inProgress = 0;
  maxInProgress = 0;
  private held?: { promise: Promise<void>; release: () => void };
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];
  private readonly open = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly origin: string,
    private readonly clients: readonly RegisteredClient[],
  ) {}

  static async start(clients: readonly RegisteredClient[]): Promise<TestIntrospectionEndpoint> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = new TestIntrospectionEndpoint(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, clients);
    server.on('request', (req, res) => void endpoint.handle(req, res));
    return endpoint;
  }

  get issuer(): string {
    return `${this.origin}/oauth2/default`;
  }

  get url(): string {
    return `${this.issuer}/v1/introspect`;
  }

  /** An Okta-shaped active answer for an access token of this issuer (Okta's /v1/introspect fields). */
  activeAnswer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    const answer: Record<string, unknown> = {
      active: true,
      scope: 'openid profile email',
      username: 'user@example.com',
      exp: now + 3600,
      iat: now,
      sub: 'user@example.com',
      aud: 'api://default',
      iss: this.issuer,
      jti: `AT.${Math.random().toString(36).slice(2)}`,
      token_type: 'Bearer',
      client_id: '0oa-test-spa',
      uid: '00u-test-user',
      ...overrides,
    };
    for (const [k, v] of Object.entries(answer)) if (v === undefined) delete answer[k];
    return answer;
  }

  /** Holds every answer until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.held = { promise, release };
    return () => {
      this.held = undefined;
      release();
    };
  }

  /** Resolves once `count` calls in all have arrived. */
  callsReached(count: number): Promise<void> {
    if (this.calls.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  callsFor(token: string): number {
    return this.calls.filter((c) => c.token === token).length;
  }

  async close(): Promise<void> {
    this.held?.release();
    for (const res of this.open) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/oauth2/default/.well-known/openid-configuration') {
      return json(res, 200, { issuer: this.issuer, introspection_endpoint: this.url, jwks_uri: `${this.issuer}/v1/keys` });
    }
    if (req.method !== 'POST' || path !== '/oauth2/default/v1/introspect') return void res.writeHead(404).end();

    const form = new URLSearchParams(await readBody(req));
    const caller = this.authenticate(req.headers.authorization, form);
    if (!caller) return json(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' });
    const token = form.get('token') ?? '';
    this.calls.push({ token, tokenTypeHint: form.get('token_type_hint') ?? undefined, clientId: caller.id, method: caller.method });
    for (const waiter of this.waiters.filter((w) => this.calls.length >= w.count)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }

    this.inProgress++;
    this.maxInProgress = Math.max(this.maxInProgress, this.inProgress);
    this.open.add(res);
    res.on('close', () => {
      this.open.delete(res);
      this.inProgress--;
    });
    if (this.held) await this.held.promise;
    if (res.destroyed) return;
    switch (this.mode) {
      case 'hang':
        return;
      case 'down':
        return void res.writeHead(503).end();
      case 'garbage':
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>');
      case 'huge':
        return json(res, 200, this.activeAnswer({ padding: 'x'.repeat(100_000) }));
      case 'redirect':
        return void res.writeHead(307, { location: this.redirectTo ?? '/' }).end();
      case 'up':
        return json(res, 200, this.answers.get(token) ?? { active: false });
    }
  }

  /** RFC 6749 §2.3.1: exactly one way of authenticating per request. */
  private authenticate(header: string | undefined, form: URLSearchParams): RegisteredClient | undefined {
    const basic = /^Basic (.+)$/i.exec(header ?? '')?.[1];
    if (basic !== undefined) {
      if (form.has('client_secret')) return undefined;
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return undefined;
      const id = formDecode(decoded.slice(0, colon));
      const secret = formDecode(decoded.slice(colon + 1));
      return this.clients.find((c) => c.method === 'client_secret_basic' && c.id === id && c.secret === secret);
    }
    const id = form.get('client_id');
    const secret = form.get('client_secret');
    if (secret !== null) return this.clients.find((c) => c.method === 'client_secret_post' && c.id === id && c.secret === secret);
    return this.clients.find((c) => c.method === 'none' && c.id === id);
  }
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

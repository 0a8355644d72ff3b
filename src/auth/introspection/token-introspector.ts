import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { EnvHttpProxyAgent } from 'undici';
import { EventEmitter } from 'node:events';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { AccessTokenClaims } from '../access-token-claims';
import { InvalidTokenError } from '../errors/bearer-token.error';
import { findAnswerViolation } from './answer-checks';
import { CallLimiter, CallLimiterFullError } from './call-limiter';
import { IntrospectionCache } from './introspection-cache';
import { IntrospectionEndpointResolver } from './introspection-endpoint-resolver';
import { claimsOf, IntrospectionAnswer } from './introspection-answer';
import {
  ClientAuthentication,
  clientAuthentication,
  IntrospectionErrorCode,
  IntrospectionUnavailableError,
  requestIntrospection,
} from './request-introspection';

/** Requests beyond the concurrency cap wait in a line this many times the cap, then are refused. */
const WAITING_PER_SLOT = 64;
/** A readiness probe asks the issuer itself when no introspection has run for this long. */
const PROBE_AFTER_MS = 30_000;

export type IntrospectionSource = 'local' | 'shared' | 'issuer';

export interface IntrospectionEvents {
  /** Every call to the introspection endpoint, by what it returned. */
  call: [result: { outcome: 'active' | 'inactive' | 'error'; durationMs: number }];
  /** Where each introspected request's answer came from (`issuer` includes joining a call in flight). */
  lookup: [source: IntrospectionSource];
}

export interface IntrospectionStatus {
  /** The endpoint in use, once configured or discovered. */
  readonly endpoint?: string;
  readonly clientConfigured: boolean;
  readonly lastCallAt?: Date;
  readonly lastSuccessAt?: Date;
  /** Why the latest call failed, as a code; absent once a call succeeds again. */
  readonly lastError?: IntrospectionErrorCode;
  readonly inFlight: number;
  readonly cachedAnswers: number;
}

/** A token validated by introspection: its answer as claims, and whether the issuer was asked for it. */
export interface Introspected {
  readonly claims: Readonly<AccessTokenClaims>;
  readonly cached: boolean;
}

/**
 * Validates access tokens by asking the issuer (RFC 7662), as strictly as a JWT is checked locally.
 *
 * - Answers are cached (IntrospectionCache); a cached answer is checked again on every hit, so `exp`
 *   and `nbf` are measured against the clock of the request, not of the call.
 * - One call in flight per token: concurrent requests with a new token share it.
 * - At most OKTA_INTROSPECTION_MAX_CONCURRENCY calls at once; a bounded line waits for a slot.
 * - One deadline (OKTA_INTROSPECTION_TIMEOUT_MS, at most 5 s) covers waiting for a slot and the call.
 * - An issuer that cannot answer is `introspection_unavailable` (401): never a 5xx, never a hang.
 */
@Injectable()
export class TokenIntrospector implements OnApplicationShutdown {
  private readonly logger = new Logger(TokenIntrospector.name);
  readonly events = new EventEmitter<IntrospectionEvents>();
  private readonly inFlight = new Map<string, Promise<IntrospectionAnswer>>();
  private readonly limiter: CallLimiter;
  private readonly auth?: ClientAuthentication;
  /** Ends the calls under way when the application shuts down, so no socket outlives it. */
  private readonly shutdown = new AbortController();
  /**
   * Kept-alive connections to the issuer, no more than calls may run at once, through the same
   * HTTPS_PROXY / NO_PROXY settings as the key fetches.
   */
  private readonly agent: EnvHttpProxyAgent;
  private lastCallAt?: number;
  private lastSuccessAt?: number;
  private lastError?: IntrospectionUnavailableError;
  private probing?: Promise<void>;

  constructor(
    @InjectAppConfig() private readonly config: AppConfig,
    private readonly cache: IntrospectionCache,
    private readonly endpoints: IntrospectionEndpointResolver,
  ) {
    const { client, maxConcurrentCalls } = config.introspection;
    this.auth = client && clientAuthentication(client);
    this.limiter = new CallLimiter(maxConcurrentCalls, WAITING_PER_SLOT * maxConcurrentCalls);
    const { httpsProxy, httpProxy, noProxy } = config.outboundProxy;
    // '' rather than undefined: the agent would otherwise read process.env itself.
    this.agent = new EnvHttpProxyAgent({ httpsProxy: httpsProxy ?? '', httpProxy: httpProxy ?? '', noProxy: noProxy ?? '', connections: maxConcurrentCalls });
  }

  async onApplicationShutdown(): Promise<void> {
    this.shutdown.abort();
    await this.agent.destroy();
  }

  /** The cache key of a token; computed once per request. */
  idOf(token: string): string {
    return this.cache.idOf(token);
  }

  /**
   * The steady state, without a promise: the claims of a token this instance holds an answer for.
   * Undefined on a miss; throws InvalidTokenError when the held answer refuses the token.
   */
  fromCache(id: string): Readonly<AccessTokenClaims> | undefined {
    const answer = this.cache.getLocal(id);
    if (!answer) return undefined;
    this.events.emit('lookup', 'local');
    return this.check(answer);
  }

  /** Asks the shared cache, then the issuer. Throws InvalidTokenError (401) when the token is refused. */
  async introspect(token: string, id: string): Promise<Introspected> {
    const found = await this.cache.get(id);
    if (found) {
      this.events.emit('lookup', found.from);
      return { claims: this.check(found.answer), cached: true };
    }
    this.events.emit('lookup', 'issuer');
    let answer: IntrospectionAnswer;
    try {
      answer = await this.askIssuerOnce(token, id);
    } catch (err) {
      throw new InvalidTokenError('introspection_unavailable', { cause: (err as Error).message });
    }
    return { claims: this.check(answer), cached: false };
  }

  status(): IntrospectionStatus {
    const date = (t?: number) => (t === undefined ? undefined : new Date(t));
    return {
      endpoint: this.endpoints.known,
      clientConfigured: this.auth !== undefined,
      lastCallAt: date(this.lastCallAt),
      lastSuccessAt: date(this.lastSuccessAt),
      lastError: this.lastError?.code,
      inFlight: this.limiter.inFlight,
      cachedAnswers: this.cache.size,
    };
  }

  /**
   * For a readiness probe: unless an introspection ran lately, asks the issuer about a random
   * token that cannot exist, which checks the endpoint and this server's client credentials alike.
   */
  probe(): Promise<void> {
    if (this.lastCallAt !== undefined && Date.now() - this.lastCallAt < PROBE_AFTER_MS) return Promise.resolve();
    this.probing ??= this.askIssuer(`readiness-probe.${randomBytes(24).toString('base64url')}`)
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => (this.probing = undefined));
    return this.probing;
  }

  private check(answer: IntrospectionAnswer): Readonly<AccessTokenClaims> {
    const reason = findAnswerViolation(answer, { now: Math.floor(Date.now() / 1000), config: this.config.okta });
    if (reason) throw new InvalidTokenError(reason, { iss: answer.iss, aud: answer.aud, sub: answer.sub });
    return claimsOf(answer);
  }

  /** Joins the call in flight for this token, or starts one and caches its answer. */
  private askIssuerOnce(token: string, id: string): Promise<IntrospectionAnswer> {
    let call = this.inFlight.get(id);
    if (!call) {
      call = this.askIssuer(token)
        .then(async (answer) => {
          await this.cache.set(id, answer);
          return answer;
        })
        .finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, call);
    }
    return call;
  }

  /**
   * One introspection under one deadline, waiting for a slot included. The deadline is a timer and
   * a controller, not AbortSignal.timeout(): Node holds such a signal weakly, and a collected one
   * never fires (see SigningKeyStore).
   */
  private async askIssuer(token: string): Promise<IntrospectionAnswer> {
    const auth = this.auth;
    if (!auth) {
      throw new IntrospectionUnavailableError('no_client', 'no introspection client is configured (set OKTA_INTROSPECTION_CLIENT_ID)');
    }
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new IntrospectionUnavailableError('timeout', 'timed out')), this.config.introspection.timeoutMs);
    const onShutdown = () => deadline.abort(new IntrospectionUnavailableError('shutting_down', 'server shutting down'));
    this.shutdown.signal.addEventListener('abort', onShutdown, { once: true });
    if (this.shutdown.signal.aborted) onShutdown();
    const startedAt = Date.now();
    try {
      const answer = await this.limiter.run(async () => {
        this.lastCallAt = Date.now();
        const endpoint = await this.endpoints.resolve(deadline.signal);
        return requestIntrospection(endpoint, auth, token, this.agent, deadline.signal);
      }, deadline.signal);
      this.succeeded(answer, startedAt);
      return answer;
    } catch (err) {
      const error = err instanceof IntrospectionUnavailableError ? err : unavailable(err);
      this.failed(error, startedAt);
      throw error;
    } finally {
      clearTimeout(timer);
      this.shutdown.signal.removeEventListener('abort', onShutdown);
    }
  }

  private succeeded(answer: IntrospectionAnswer, startedAt: number): void {
    this.lastSuccessAt = Date.now();
    if (this.lastError !== undefined) this.logger.log('introspection endpoint answers again');
    this.lastError = undefined;
    this.events.emit('call', { outcome: answer.active ? 'active' : 'inactive', durationMs: Date.now() - startedAt });
  }

  /** Logged when the endpoint starts failing, not on every failed call: each refusal has its own log line. */
  private failed(error: IntrospectionUnavailableError, startedAt: number): void {
    this.lastCallAt ??= startedAt;
    if (this.lastError === undefined) this.logger.warn(`introspection failed: ${error.message}; tokens not cached are refused until it answers`);
    this.lastError = error;
    this.events.emit('call', { outcome: 'error', durationMs: Date.now() - startedAt });
  }
}

function unavailable(err: unknown): IntrospectionUnavailableError {
  if (err instanceof CallLimiterFullError) return new IntrospectionUnavailableError('busy', err.message);
  return new IntrospectionUnavailableError('network', err instanceof Error ? err.message : String(err));
}

import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { KeyObject } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { JwksClient } from 'jwks-rsa';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { InvalidTokenError } from '../errors/bearer-token.error';
import { FetchError, FetchErrorCode } from './fetch-json';
import { IssuerHttpClient, JWKS_ACCEPT } from './issuer-http-client';
import { JwksUriResolver } from './jwks-uri-resolver';
import { chooseKey, KeySet, keySet } from './key-set';
import { readJwk } from './read-jwk';

export interface SigningKey {
  /** Parsed once per fetch: verifying with a KeyObject is several times cheaper than with a PEM. */
  readonly key: KeyObject;
  /** The JWK's `alg`, when the issuer published one; the token's `alg` must then match it. */
  readonly alg?: string;
  /** The JWK's `kid` exactly as published (`""` included); undefined when it has none. */
  readonly kid?: string;
}

/** What the store reports to observers (metrics, logs). */
export interface KeyStoreEvents {
  /** Every fetch attempt, successful or not; `keyCount` is the usable keys held after it. */
  fetch: [result: { ok: boolean; durationMs: number; keyCount: number; error?: string }];
}

/** Why no usable key is held: a stable code a public probe may show. */
export type KeylessReason = 'not_fetched' | 'fetch_failed' | 'no_usable_key' | 'keys_expired';

export interface KeyStoreStatus {
  keyCount: number;
  fetchedAt?: Date;
  lastAttemptAt?: Date;
  /** The code of the last attempt's failure; undefined when it succeeded, or before any. */
  lastErrorCode?: FetchErrorCode | 'unexpected';
  /** Set exactly when `keyCount` is 0. */
  keylessReason?: KeylessReason;
}

/** First retry after a fetch that left no usable key; doubles per attempt, up to the cooldown. */
const FIRST_RETRY_MS = 500;

/**
 * The issuer's signing keys, fetched through jwks-rsa and held as KeyObjects.
 *
 * - A successful answer is the truth: a key it no longer holds, or no longer marks for signatures,
 *   is dropped at once, even when none is left. Stale-if-error is for failed fetches only: while the
 *   issuer cannot be reached (or answers nonsense), the keys held keep serving up to the max-stale age.
 * - Unsafe or unusable members of the set are skipped, each logged with the reason (see readJwk).
 * - One fetch at a time: concurrent callers share it (a cold start costs the issuer one request).
 * - While keys are held, an unknown `kid` refetches (rotation) at most once per cooldown, so a flood
 *   of random `kid`s costs the issuer at most one request per cooldown.
 * - While no usable key is held, fetches are retried on their own, 0.5 s after the last attempt and
 *   doubling up to the cooldown: an issuer that was briefly unreachable (a sidecar, DNS, or a demo
 *   starting all at once) is picked up within about a second of coming back.
 * - Keys older than the refresh interval are refreshed in the background; no request waits.
 */
@Injectable()
export class SigningKeyStore implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SigningKeyStore.name);
  private keySet?: KeySet;
  private refreshing?: Promise<KeySet>;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private lastError?: Error;
  /** Attempts in a row that ended with no usable key held: the exponent of the retry backoff. */
  private keylessAttempts = 0;
  private retryTimer?: NodeJS.Timeout;
  /** What the last fetch skipped, so an unchanged set is not logged again on every refresh. */
  private lastSkipReport = '';
  readonly events = new EventEmitter<KeyStoreEvents>();
  /** Ends a fetch under way when the application shuts down, so no socket outlives it. */
  private readonly shutdown = new AbortController();

  constructor(
    @InjectAppConfig() private readonly config: AppConfig,
    private readonly jwksUriResolver: JwksUriResolver,
    private readonly http: IssuerHttpClient,
  ) {}

  /** Warm the cache at start; an issuer that is down must not stop the server from starting. */
  onApplicationBootstrap(): void {
    this.refresh().catch(() => undefined);
  }

  onApplicationShutdown(): void {
    clearTimeout(this.retryTimer);
    this.shutdown.abort();
  }

  /**
   * The cached key for a token's `kid` and `alg`, without waiting: the steady-state path, which
   * costs no promise. Also starts a background refresh when the keys are due for one.
   */
  cachedKey(kid: string | undefined, alg: string): SigningKey | undefined {
    const now = Date.now();
    const cached = this.usableKeySet(now);
    const choice = cached && chooseKey(cached, kid, alg);
    if (typeof choice !== 'object') return undefined;
    this.refreshIfDue(cached!, now);
    return choice;
  }

  /**
   * True while `signingKey` is one of the usable keys held: a token verified with it still would be.
   * For the verified-token cache; starts a background refresh when the keys are due for one.
   */
  holds(signingKey: SigningKey): boolean {
    const now = Date.now();
    const cached = this.usableKeySet(now);
    if (!cached?.held.has(signingKey)) return false;
    this.refreshIfDue(cached, now);
    return true;
  }

  /**
   * The key for a token's `kid` and `alg`, fetching the issuer's keys when the kid is unknown and
   * the cooldown allows.
   * @throws InvalidTokenError `unknown_kid`, `key_mismatch`, `ambiguous_kid`, `keys_unavailable`, or
   *   `misconfigured_issuer` when the issuer's metadata names another issuer (no retry fixes that)
   */
  async getKey(kid: string | undefined, alg: string): Promise<SigningKey> {
    const now = Date.now();
    const held = this.usableKeySet(now);
    const first = held && chooseKey(held, kid, alg);
    if (typeof first === 'object') {
      this.refreshIfDue(held!, now);
      return first;
    }
    // Only an unknown kid can be cured by asking the issuer again (rotation).
    if (first !== undefined && first !== 'unknown_kid') throw new InvalidTokenError(first, { kid, alg });

    const refreshed = await this.refreshUnlessCoolingDown(now);
    const latest = refreshed ?? this.usableKeySet(Date.now());
    if (!latest) throw this.unavailable(kid, alg);
    const choice = chooseKey(latest, kid, alg);
    if (typeof choice === 'object') return choice;
    if (choice === 'unknown_kid' && !refreshed && this.lastError) throw this.unavailable(kid, alg);
    throw new InvalidTokenError(choice, { kid, alg });
  }

  /** Why no key can be had: an outage (try again later), or an issuer setting no retry will fix. */
  private unavailable(kid: string | undefined, alg: string): InvalidTokenError {
    const misconfigured = this.lastError instanceof FetchError && this.lastError.code === 'issuer_mismatch';
    return new InvalidTokenError(misconfigured ? 'misconfigured_issuer' : 'keys_unavailable', { kid, alg, cause: this.lastError?.message });
  }

  /**
   * Fetches the keys unless the last attempt is too recent (or joins one under way): for callers
   * that need keys without a token, such as a readiness probe on an instance that holds none.
   */
  async loadKeys(): Promise<void> {
    await this.refreshUnlessCoolingDown(Date.now());
  }

  status(): KeyStoreStatus {
    const now = Date.now();
    const finite = (t: number) => (Number.isFinite(t) ? new Date(t) : undefined);
    const keyCount = this.usableKeySet(now)?.keys.length ?? 0;
    const lastError = this.lastError;
    return {
      keyCount,
      fetchedAt: this.keySet && new Date(this.keySet.fetchedAt),
      lastAttemptAt: finite(this.lastAttemptAt),
      lastErrorCode: lastError && (lastError instanceof FetchError ? lastError.code : 'unexpected'),
      keylessReason: keyCount > 0 ? undefined : this.keylessReason(now),
    };
  }

  private keylessReason(now: number): KeylessReason {
    if (this.keySet && !this.usableKeySet(now)) return 'keys_expired';
    if (this.keySet && !this.lastError) return 'no_usable_key';
    return this.lastError ? 'fetch_failed' : 'not_fetched';
  }

  private usableKeySet(now: number): KeySet | undefined {
    const set = this.keySet;
    return set && now - set.fetchedAt <= this.config.jwks.maxStaleMs ? set : undefined;
  }

  private refreshIfDue(held: KeySet, now: number): void {
    if (now - held.fetchedAt >= this.config.jwks.refreshIntervalMs && this.mayFetch(now)) {
      this.refresh().catch(() => undefined);
    }
  }

  /**
   * The cooldown protects the issuer while keys are held; while none is, a short backoff lets the
   * server recover soon after the issuer does.
   */
  private mayFetch(now: number): boolean {
    return !this.refreshing && now - this.lastAttemptAt >= this.retryIntervalMs();
  }

  private retryIntervalMs(): number {
    const { cooldownMs } = this.config.jwks;
    if (this.keylessAttempts === 0) return cooldownMs;
    return Math.min(cooldownMs, FIRST_RETRY_MS * 2 ** Math.min(this.keylessAttempts - 1, 20));
  }

  /** Joins a fetch under way, or starts one when allowed; undefined when none ran. */
  private async refreshUnlessCoolingDown(now: number): Promise<KeySet | undefined> {
    if (!this.refreshing && !this.mayFetch(now)) return undefined;
    try {
      return await this.refresh();
    } catch {
      return undefined;
    }
  }

  private refresh(): Promise<KeySet> {
    if (this.refreshing) return this.refreshing;
    clearTimeout(this.retryTimer);
    const startedAt = (this.lastAttemptAt = Date.now());
    this.refreshing = this.fetchKeySet().then(
      (set) => {
        this.refreshing = undefined;
        this.keySet = set;
        this.lastError = undefined;
        this.afterAttempt();
        const kids = set.keys.map((k) => (k.kid === undefined ? '(no kid)' : JSON.stringify(k.kid)));
        if (set.keys.length > 0) this.logger.log(`fetched ${set.keys.length} signing key(s): ${kids.join(', ')}`);
        else this.logger.warn('the issuer publishes no usable signing key: every token is refused until it does');
        this.events.emit('fetch', { ok: true, durationMs: Date.now() - startedAt, keyCount: set.keys.length });
        return set;
      },
      (err: Error) => {
        this.refreshing = undefined;
        this.lastError = err;
        this.afterAttempt();
        const held = this.usableKeySet(Date.now());
        this.events.emit('fetch', {
          ok: false,
          durationMs: Date.now() - startedAt,
          keyCount: held?.keys.length ?? 0,
          error: err.message,
        });
        this.logger.warn(
          `signing keys could not be fetched: ${err.message}` +
            (held?.keys.length
              ? `; still serving ${held.keys.length} cached key(s)`
              : `; requests are refused until keys can be fetched (next attempt in ${this.retryIntervalMs()} ms)`),
        );
        throw err;
      },
    );
    return this.refreshing;
  }

  /** Counts attempts that left no usable key, and schedules the next one while that lasts. */
  private afterAttempt(): void {
    if (this.usableKeySet(Date.now())?.keys.length) {
      this.keylessAttempts = 0;
      return;
    }
    this.keylessAttempts++;
    if (this.shutdown.signal.aborted) return;
    this.retryTimer = setTimeout(() => this.refresh().catch(() => undefined), this.retryIntervalMs());
    // A retry must never keep the process alive on its own.
    this.retryTimer.unref();
  }

  /**
   * One deadline for discovery and the JWKS together, ended early by shutdown. Built from a timer
   * and a controller, not `AbortSignal.any([AbortSignal.timeout(ms), ...])`: Node holds a timeout
   * signal combined that way only weakly, and once collected it never fires. The soak caught it: a
   * hanging issuer then held the fetch, and every request waiting on new keys, for good.
   */
  private async fetchKeySet(): Promise<KeySet> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.config.jwks.timeoutMs);
    const onShutdown = () => deadline.abort();
    if (this.shutdown.signal.aborted) deadline.abort();
    this.shutdown.signal.addEventListener('abort', onShutdown, { once: true });
    try {
      return await this.fetchKeySetUntil(deadline.signal);
    } finally {
      clearTimeout(timer);
      this.shutdown.signal.removeEventListener('abort', onShutdown);
    }
  }

  private async fetchKeySetUntil(signal: AbortSignal): Promise<KeySet> {
    const jwksUri = await this.jwksUriResolver.resolve(signal);
    // jwks-rsa is the JWKS client; its caching and rate limiting are off (this store keeps parsed
    // keys and applies its own cooldown), and each member is read by readJwk, not by jwks-rsa's
    // getSigningKeys: that one drops `"kid":""`, and skips keys silently.
    const client = new JwksClient({
      jwksUri,
      cache: false,
      rateLimit: false,
      fetcher: async (uri) => jwkSetBody(uri, await this.http.getJson(uri, JWKS_ACCEPT, signal)) as never,
    });
    const members = (await client.getKeys()) as unknown[];
    const keys: SigningKey[] = [];
    const skipped: string[] = [];
    members.forEach((jwk, index) => {
      const read = readJwk(jwk, this.config.okta.algorithms);
      if ('skipped' in read) return void skipped.push(`${describeMember(jwk, index)}: ${read.skipped}`);
      // The same key published twice is one key, not an ambiguity.
      if (keys.some((k) => sameKey(k, read.key))) return;
      keys.push(this.previousIdentity(read.key));
    });
    this.reportSkipped(jwksUri, skipped, keys);
    return keySet(keys, Date.now());
  }

  /**
   * An unchanged key keeps its identity across refreshes: the verified-token cache binds each entry
   * to the exact SigningKey that verified it, so routine refreshes must not void it.
   */
  private previousIdentity(key: SigningKey): SigningKey {
    return this.keySet?.keys.find((previous) => sameKey(previous, key)) ?? key;
  }

  private reportSkipped(jwksUri: string, skipped: string[], keys: readonly SigningKey[]): void {
    const ambiguous = this.config.okta.algorithms.flatMap((alg) =>
      [...new Set(keys.map((k) => k.kid))]
        .filter((kid) => kid !== undefined && chooseKey(keySet(keys, 0), kid, alg) === 'ambiguous_kid')
        .map((kid) => `kid ${JSON.stringify(kid)} names more than one ${alg} key: tokens with it are refused`),
    );
    const report = [...skipped, ...ambiguous].join('; ');
    if (report === this.lastSkipReport) return;
    this.lastSkipReport = report;
    for (const line of skipped) this.logger.warn(`skipped a member of the JWK Set at ${jwksUri}: ${line}`);
    for (const line of ambiguous) this.logger.warn(`JWK Set at ${jwksUri}: ${line}`);
  }
}

/** RFC 7517 §5: a JWK Set is an object whose `keys` member is an array; anything else is a failed fetch. */
function jwkSetBody(uri: string, body: unknown): unknown {
  const keys = typeof body === 'object' && body !== null ? (body as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys)) throw new FetchError('not_jwks', `${uri}: the answer is not a JWK Set (no "keys" array)`);
  return body;
}

function sameKey(a: SigningKey, b: SigningKey): boolean {
  return a.kid === b.kid && a.alg === b.alg && a.key.equals(b.key);
}

function describeMember(jwk: unknown, index: number): string {
  const kid = typeof jwk === 'object' && jwk !== null ? (jwk as { kid?: unknown }).kid : undefined;
  return typeof kid === 'string' ? `key #${index} (kid ${JSON.stringify(kid.slice(0, 100))})` : `key #${index} (no kid)`;
}

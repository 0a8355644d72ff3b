import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createPublicKey, KeyObject } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { JwksClient } from 'jwks-rsa';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { InvalidTokenError } from '../errors/bearer-token.error';
import { fetchJson } from './fetch-json';
import { IssuerMismatchError, JwksUriResolver } from './jwks-uri-resolver';

export interface SigningKey {
  /** Parsed once per fetch: verifying with a KeyObject is several times cheaper than with a PEM. */
  readonly key: KeyObject;
  /** The JWK's `alg`, when the issuer published one; the token's `alg` must then match it. */
  readonly alg?: string;
}

interface KeySet {
  readonly keys: ReadonlyMap<string, SigningKey>;
  readonly fetchedAt: number;
}

/** What the store reports to observers (metrics, logs). */
export interface KeyStoreEvents {
  /** Every fetch attempt, successful or not. */
  fetch: [result: { ok: boolean; durationMs: number; keyCount: number; error?: string }];
}

export interface KeyStoreStatus {
  keyCount: number;
  fetchedAt?: Date;
  lastAttemptAt?: Date;
  lastError?: string;
}

/** RFC 7518 §3.3: RSA keys below 2048 bits must not be used. */
const MIN_RSA_BITS = 2048;

/**
 * The issuer's signing keys, fetched through jwks-rsa and held as KeyObjects by `kid`.
 *
 * - One fetch at a time: concurrent callers share it (a cold start costs the issuer one request).
 * - An unknown `kid` refetches (key rotation), but not within the cooldown of the last attempt, so
 *   a flood of random `kid`s costs the issuer at most one request per cooldown.
 * - Keys older than the refresh interval are refreshed in the background; no request waits.
 * - While the issuer fails, cached keys keep serving up to the max-stale age (stale-if-error).
 */
@Injectable()
export class SigningKeyStore implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SigningKeyStore.name);
  private keySet?: KeySet;
  private refreshing?: Promise<KeySet>;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private lastError?: Error;
  readonly events = new EventEmitter<KeyStoreEvents>();
  /** Ends a fetch under way when the application shuts down, so no socket outlives it. */
  private readonly shutdown = new AbortController();

  constructor(
    @InjectAppConfig() private readonly config: AppConfig,
    private readonly jwksUriResolver: JwksUriResolver,
  ) {}

  /** Warm the cache at start; an issuer that is down must not stop the server from starting. */
  onApplicationBootstrap(): void {
    this.refresh().catch(() => undefined);
  }

  onApplicationShutdown(): void {
    this.shutdown.abort();
  }

  /**
   * The cached key for `kid`, without waiting: the steady-state path, which costs no promise. Also
   * starts a background refresh when the keys are due for one.
   */
  cachedKey(kid: string | undefined): SigningKey | undefined {
    const now = Date.now();
    const cached = this.usableKeySet(now);
    const hit = cached && pick(cached, kid);
    if (hit && now - cached.fetchedAt >= this.config.jwks.refreshIntervalMs) this.refreshInBackground(now);
    return hit;
  }

  /** The key for `kid`, fetching the issuer's keys when it is unknown and the cooldown allows. */
  async getKey(kid: string | undefined): Promise<SigningKey> {
    const hit = this.cachedKey(kid);
    if (hit) return hit;

    const refreshed = await this.refreshUnlessCoolingDown(Date.now());
    const latest = refreshed ?? this.usableKeySet(Date.now());
    if (!latest) throw this.unavailable(kid);
    const key = pick(latest, kid);
    if (!key) throw refreshed || !this.lastError ? new InvalidTokenError('unknown_kid', { kid }) : this.unavailable(kid);
    return key;
  }

  /** Why no key can be had: an outage (try again later), or an issuer setting no retry will fix. */
  private unavailable(kid: string | undefined): InvalidTokenError {
    const reason = this.lastError instanceof IssuerMismatchError ? 'misconfigured_issuer' : 'keys_unavailable';
    return new InvalidTokenError(reason, { kid, cause: this.lastError?.message });
  }

  /**
   * Fetches the keys unless a fetch ran within the cooldown (or joins one under way): for callers
   * that need keys without a token, such as a readiness probe on an instance that holds none.
   */
  async loadKeys(): Promise<void> {
    await this.refreshUnlessCoolingDown(Date.now());
  }

  status(): KeyStoreStatus {
    const finite = (t: number) => (Number.isFinite(t) ? new Date(t) : undefined);
    return {
      keyCount: this.usableKeySet(Date.now())?.keys.size ?? 0,
      fetchedAt: this.keySet && new Date(this.keySet.fetchedAt),
      lastAttemptAt: finite(this.lastAttemptAt),
      lastError: this.lastError?.message,
    };
  }

  private usableKeySet(now: number): KeySet | undefined {
    const set = this.keySet;
    return set && now - set.fetchedAt <= this.config.jwks.maxStaleMs ? set : undefined;
  }

  private refreshInBackground(now: number): void {
    if (!this.refreshing && now - this.lastAttemptAt >= this.config.jwks.cooldownMs) {
      this.refresh().catch(() => undefined);
    }
  }

  /** Joins a fetch under way, or starts one when the cooldown allows; undefined when none ran. */
  private async refreshUnlessCoolingDown(now: number): Promise<KeySet | undefined> {
    if (!this.refreshing && now - this.lastAttemptAt < this.config.jwks.cooldownMs) return undefined;
    try {
      return await this.refresh();
    } catch {
      return undefined;
    }
  }

  private refresh(): Promise<KeySet> {
    if (this.refreshing) return this.refreshing;
    const startedAt = (this.lastAttemptAt = Date.now());
    this.refreshing = this.fetchKeySet().then(
      (set) => {
        this.refreshing = undefined;
        this.keySet = set;
        this.lastError = undefined;
        this.logger.log(`fetched ${set.keys.size} signing key(s): ${[...set.keys.keys()].join(', ')}`);
        this.events.emit('fetch', { ok: true, durationMs: Date.now() - startedAt, keyCount: set.keys.size });
        return set;
      },
      (err: Error) => {
        this.refreshing = undefined;
        this.lastError = err;
        this.events.emit('fetch', {
          ok: false,
          durationMs: Date.now() - startedAt,
          keyCount: this.keySet?.keys.size ?? 0,
          error: err.message,
        });
        const held = this.usableKeySet(Date.now());
        this.logger.warn(
          `signing keys could not be fetched: ${err.message}` +
            (held ? `; still serving ${held.keys.size} cached key(s)` : '; requests are refused until keys can be fetched'),
        );
        throw err;
      },
    );
    return this.refreshing;
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
    // jwks-rsa parses the JWKS (use/kty filtering, JWK to SPKI); its own caching and rate limiting
    // are off because this store keeps parsed KeyObjects and applies its own cooldown.
    const client = new JwksClient({ jwksUri, cache: false, rateLimit: false, fetcher: (uri) => fetchJson(uri, signal) as never });
    const keys = new Map<string, SigningKey>();
    for (const signingKey of await client.getSigningKeys()) {
      const key = createPublicKey(signingKey.getPublicKey());
      const bits = key.asymmetricKeyDetails?.modulusLength;
      if (bits !== undefined && bits < MIN_RSA_BITS) continue;
      const kid = signingKey.kid ?? '';
      const alg = (signingKey as { alg?: string }).alg;
      // An unchanged key keeps its identity across refreshes: the verified-token cache binds each
      // entry to the exact SigningKey that verified it, so routine refreshes must not void it.
      const previous = this.keySet?.keys.get(kid);
      keys.set(kid, previous && previous.alg === alg && previous.key.equals(key) ? previous : { key, alg });
    }
    if (keys.size === 0) throw new Error(`${jwksUri} holds no usable signing key`);
    return { keys, fetchedAt: Date.now() };
  }
}

/** A token without `kid` is accepted only when the issuer publishes exactly one key. */
function pick(set: KeySet, kid: string | undefined): SigningKey | undefined {
  if (kid !== undefined) return set.keys.get(kid);
  return set.keys.size === 1 ? set.keys.values().next().value : undefined;
}

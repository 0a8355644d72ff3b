import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { SharedStoreBackend, StoreStatus, StoreUnavailableError } from './shared-store';

export interface RedisStoreOptions {
  /** May hold a password: never logged. */
  readonly url: string;
  /** Deadline of each call, in milliseconds. */
  readonly timeoutMs: number;
}

/**
 * Calls under way are bounded in count and in bytes: while Redis is slow, a flood of requests fails
 * fast here instead of queueing (in ioredis and in the socket's write buffer) without end.
 */
const MAX_PENDING_CALLS = 10_000;
const MAX_PENDING_BYTES = 8 * 1024 * 1024;
/** Reconnect backoff, in milliseconds: quick at first, then every 2 s for as long as Redis is away. */
const reconnectDelay = (attempt: number) => Math.min(100 * attempt, 2000);

/**
 * SharedStore in Redis (ioredis), shared by every instance that names the same REDIS_URL.
 *
 * - setIfAbsent is one `SET key value PX ttl NX`: atomic, so two instances never both see "absent".
 * - Every call has a deadline (ioredis `commandTimeout`); past it, or while disconnected, it rejects
 *   with StoreUnavailableError. Nothing waits for a connection: the offline queue is off, and a call
 *   cut by a disconnect is not resent (a resent `SET NX` would find its own key and say "present").
 * - A connection that gives no answer for a whole deadline is dropped and reconnected (`socketTimeout`),
 *   which fails the calls stuck on it at once.
 * - Reconnects forever, with backoff; logs when Redis goes away and when it is back.
 */
export class RedisStore implements SharedStoreBackend {
  readonly kind = 'redis';
  private readonly logger = new Logger('SharedStore');
  private readonly client: Redis;
  private pendingCalls = 0;
  private pendingBytes = 0;
  private lastError: string | null = null;
  /** Unknown until the first connection or failure, so a Redis down at start is logged too. */
  private reachable?: boolean;

  constructor(private readonly options: RedisStoreOptions) {
    this.client = new Redis(options.url, {
      commandTimeout: options.timeoutMs,
      // Not one byte back for a whole deadline after a call: the connection is stuck (Redis paused,
      // a network partition). Dropping it fails every call waiting on it at once, then reconnects.
      socketTimeout: options.timeoutMs,
      connectTimeout: Math.max(1000, options.timeoutMs),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      retryStrategy: reconnectDelay,
    });
    this.client.on('ready', () => {
      if (this.reachable !== true) this.logger.log({ msg: 'redis connected', redis: this.where() });
      this.reachable = true;
      this.lastError = null;
    });
    // Without a listener ioredis prints every reconnect failure to the console.
    this.client.on('error', (err: Error) => this.wentAway(err.message, errorCodeOf(err)));
    this.client.on('close', () => this.wentAway('connection closed', 'closed'));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const answer = await this.call(key.length + value.length, () =>
      this.client.set(key, value, 'PX', ttlOf(ttlMs), 'NX'),
    );
    return answer === 'OK';
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.call(key.length, () => this.client.get(key))) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.call(key.length + value.length, () => this.client.set(key, value, 'PX', ttlOf(ttlMs)));
  }

  async probe(): Promise<StoreStatus> {
    const details = { connection: this.client.status, lastError: this.lastError };
    if (this.client.status !== 'ready') return { kind: this.kind, available: false, details };
    try {
      await this.call(4, () => this.client.ping());
      return { kind: this.kind, available: true, details: { connection: this.client.status, lastError: null } };
    } catch (err) {
      this.logger.warn({ msg: 'redis readiness probe failed', redis: this.where(), cause: (err as Error).message });
      return { kind: this.kind, available: false, details: { ...details, lastError: errorCodeOf(err) } };
    }
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }

  private async call<T>(bytes: number, command: () => Promise<T>): Promise<T> {
    if (this.pendingCalls >= MAX_PENDING_CALLS || this.pendingBytes + bytes > MAX_PENDING_BYTES) {
      throw new StoreUnavailableError('redis is not keeping up: too many calls waiting');
    }
    this.pendingCalls++;
    this.pendingBytes += bytes;
    try {
      return await command();
    } catch (err) {
      throw new StoreUnavailableError(`redis: ${(err as Error).message}`);
    } finally {
      this.pendingCalls--;
      this.pendingBytes -= bytes;
    }
  }

  /** `reason` goes to the log; the public readiness probe shows only `code` (issue: codes, not messages). */
  private wentAway(reason: string, code: string): void {
    this.lastError = code;
    if (this.reachable === false) return;
    this.reachable = false;
    this.logger.warn({ msg: 'redis unavailable: shared-store calls fail until it is back', redis: this.where(), cause: reason });
  }

  /** Host and port only: the URL may carry a password. */
  private where(): string {
    const url = new URL(this.options.url);
    return `${url.protocol}//${url.host}`;
  }
}

/**
 * A short code for the public readiness probe: the Node error code (ECONNREFUSED, ENOTFOUND ...),
 * `timeout`, or `error`. Messages can name hosts and go to the log only.
 */
function errorCodeOf(err: unknown): string {
  const code = (err as { code?: unknown; cause?: { code?: unknown } })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code;
  if (typeof code === 'string' && /^[A-Z_]{2,32}$/.test(code)) return code;
  return /timed? ?out/i.test(String((err as Error)?.message)) ? 'timeout' : 'error';
}

/** Redis wants a positive integer of milliseconds. */
function ttlOf(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs));
}

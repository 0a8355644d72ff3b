/** Thrown when the limiter's waiting line is full: the caller is refused at once. */
export class CallLimiterFullError extends Error {
  override name = 'CallLimiterFullError';
}

interface Waiter {
  readonly start: () => void;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
}

/**
 * At most `maxActive` calls run at once; up to `maxWaiting` more wait in line, each only as long as
 * its own signal allows. Bounds what a flood of new tokens costs the issuer (and the sockets held
 * open to it) however many requests arrive.
 */
export class CallLimiter {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly maxActive: number,
    private readonly maxWaiting: number,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Runs `call` once a slot is free. Rejects with `signal.reason` when the signal fires while
   * waiting, or with CallLimiterFullError when the line is full.
   */
  run<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.active < this.maxActive) return this.start(call);
    if (this.waiting.length >= this.maxWaiting) return Promise.reject(new CallLimiterFullError('too many introspections waiting'));
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        signal,
        start: () => {
          signal.removeEventListener('abort', waiter.onAbort);
          this.start(call).then(resolve, reject);
        },
        onAbort: () => {
          const at = this.waiting.indexOf(waiter);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private async start<T>(call: () => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await call();
    } finally {
      this.active--;
      this.waiting.shift()?.start();
    }
  }
}

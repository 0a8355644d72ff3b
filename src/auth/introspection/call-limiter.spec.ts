import { CallLimiter, CallLimiterFullError } from './call-limiter';

/** A call the test ends by hand. */
function pending() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { call: () => done, finish };
}

describe('CallLimiter', () => {
  it('runs at most maxActive calls and starts the next as one ends', async () => {
    const limiter = new CallLimiter(2, 10);
    const signal = new AbortController().signal;
    const calls = [pending(), pending(), pending()];
    const started: number[] = [];
    const runs = calls.map((c, i) => limiter.run(() => (started.push(i), c.call()), signal));
    expect(started).toEqual([0, 1]);
    expect(limiter.queued).toBe(1);
    calls[0].finish();
    await runs[0];
    expect(started).toEqual([0, 1, 2]);
    calls[1].finish();
    calls[2].finish();
    await Promise.all(runs);
    expect(limiter.inFlight).toBe(0);
  });

  it('refuses at once when the line is full', async () => {
    const limiter = new CallLimiter(1, 1);
    const signal = new AbortController().signal;
    const c = pending();
    const first = limiter.run(c.call, signal);
    const second = limiter.run(c.call, signal);
    await expect(limiter.run(c.call, signal)).rejects.toBeInstanceOf(CallLimiterFullError);
    c.finish();
    await Promise.all([first, second]);
  });

  it('lets a waiting call go when its signal fires, without running it', async () => {
    const limiter = new CallLimiter(1, 10);
    const c = pending();
    const first = limiter.run(c.call, new AbortController().signal);
    const deadline = new AbortController();
    const ran = jest.fn();
    const waiting = limiter.run(async () => ran(), deadline.signal);
    deadline.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    expect(limiter.queued).toBe(0);
    c.finish();
    await first;
    expect(ran).not.toHaveBeenCalled();
  });
});

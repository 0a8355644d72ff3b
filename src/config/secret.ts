import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A credential from configuration. Every way an object reaches a log line, an error or a JSON
 * body (string conversion, JSON.stringify, util.inspect, pino's serialisers) prints `[redacted]`;
 * only `reveal()` hands out the value, at the one place that must send it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

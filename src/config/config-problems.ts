import { ConfigError } from './config.error';

/**
 * Every setting that stops the server, gathered so one start reports them all (one line each)
 * instead of one per attempt.
 */
export class InvalidConfigError extends Error {
  constructor(readonly problems: readonly ConfigError[]) {
    super(problems.map((problem) => problem.message).join('\n'));
    this.name = 'InvalidConfigError';
  }
}

/** Collects ConfigErrors while the settings are parsed; `throwIfAny` ends the parse with all of them. */
export class ConfigProblems {
  private readonly found: ConfigError[] = [];

  /**
   * Runs one setting's parser. A ConfigError (or an InvalidConfigError's problems) is recorded and
   * `fallback` returned, so the settings after it are still checked; any other error is thrown.
   */
  check<T>(parse: () => T, fallback: T): T {
    try {
      return parse();
    } catch (err) {
      if (err instanceof ConfigError) this.found.push(err);
      else if (err instanceof InvalidConfigError) this.found.push(...err.problems);
      else throw err;
      return fallback;
    }
  }

  hasProblems(): boolean {
    return this.found.length > 0;
  }

  /**
   * For a loader of one group of settings: throws the ConfigError itself when there is one
   * problem, InvalidConfigError when there are several (the caller's `check` records them all).
   */
  throwIfAnyInGroup(): void {
    if (this.found.length === 1) throw this.found[0];
    this.throwIfAny();
  }

  /** Throws InvalidConfigError with every problem recorded, in the order found. */
  throwIfAny(): void {
    if (this.found.length > 0) throw new InvalidConfigError([...this.found]);
  }
}

/**
 * A setting that stops the server from starting. The message is one line that names the setting,
 * so an operator can fix it without reading a stack trace.
 */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`${setting}: ${problem}`);
    this.name = 'ConfigError';
  }
}

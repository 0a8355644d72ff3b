import { ConfigError } from './config.error';

/**
 * An integer setting: `fallback` when unset or blank, else a whole number from `min` to `max`
 * (inclusive, in the setting's own unit). Throws ConfigError naming `setting` otherwise.
 */
export function integerSetting(setting: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (!value?.trim()) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(setting, `must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

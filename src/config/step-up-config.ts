import { ConfigError } from './config.error';
import { ConfigProblems } from './config-problems';

type Env = Readonly<Record<string, string | undefined>>;

/** Step-up requirements every protected route has (RFC 9470), on top of any `@RequireAuthentication()`. */
export interface StepUpConfig {
  /**
   * Acceptable `acr` values, most preferred first; the token's `acr` must be one of them, compared as
   * a whole string. Empty: no `acr` requirement.
   */
  readonly requiredAcr: readonly string[];
  /** Most seconds since the token's `auth_time`; undefined: no freshness requirement. */
  readonly maxAuthAgeSeconds?: number;
}

/** A year: a longer "maximum age" is no requirement at all, and most likely a unit mistake. */
export const MAX_AUTH_AGE_LIMIT_SECONDS = 365 * 24 * 3600;

/**
 * An `acr` value as it can travel in `acr_values="..."` (RFC 9470 §3): space-separated, so no
 * spaces, and nothing that ends or escapes a quoted-string. Visible ASCII otherwise, as acr values
 * are URIs or short names (`phr`).
 */
export const ACR_VALUE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** Reads OKTA_REQUIRED_ACR and OKTA_MAX_AUTH_AGE; a bad value throws ConfigError naming the setting. */
export function loadStepUpConfig(env: Env): StepUpConfig {
  // Every bad setting is reported, not only the first (InvalidConfigError).
  const p = new ConfigProblems();
  const requiredAcr = p.check(() => parseRequiredAcr(env.OKTA_REQUIRED_ACR), []);
  const maxAuthAgeSeconds = p.check(() => parseMaxAuthAge(env.OKTA_MAX_AUTH_AGE), undefined);
  p.throwIfAnyInGroup();
  return Object.freeze({ requiredAcr: Object.freeze(requiredAcr), maxAuthAgeSeconds });
}

function parseRequiredAcr(value: string | undefined): string[] {
  const requiredAcr = [...new Set(value?.split(/[\s,]+/).filter(Boolean) ?? [])];
  for (const acr of requiredAcr) {
    if (!ACR_VALUE.test(acr)) {
      throw new ConfigError('OKTA_REQUIRED_ACR', `"${acr}" is not an acr value (visible ASCII, no quotes or backslashes)`);
    }
  }
  return requiredAcr;
}

/** Seconds, or undefined when unset. */
function parseMaxAuthAge(value: string | undefined): number | undefined {
  const age = value?.trim();
  if (!age) return undefined;
  const seconds = Number(age);
  if (!/^\d+$/.test(age) || seconds > MAX_AUTH_AGE_LIMIT_SECONDS) {
    throw new ConfigError('OKTA_MAX_AUTH_AGE', `must be an integer number of seconds from 0 to ${MAX_AUTH_AGE_LIMIT_SECONDS}, got "${value}"`);
  }
  return seconds;
}

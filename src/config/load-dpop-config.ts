import { JwsAlgorithm, SUPPORTED_ALGORITHMS } from './app-config';
import { ConfigError } from './config.error';
import { integerSetting } from './integer-setting';
import { ConfigProblems } from './config-problems';
import { DPOP_MODES, DpopConfig, DpopMode } from './dpop-config';
import { isSecureHttpUrl } from './secure-url';

type Env = Readonly<Record<string, string | undefined>>;

/** RFC 9449 §4.3 leaves the window to the server; a minute covers SPAs on slow networks. */
const DEFAULT_PROOF_MAX_AGE_SECONDS = 60;
/** What okta-auth-js signs with (RS256) and what other clients mostly use. */
const DEFAULT_ALGORITHMS: JwsAlgorithm[] = ['ES256', 'RS256', 'PS256'];
/** An HMAC key shorter than this is guessable enough to forge nonces ahead of time. */
const MIN_NONCE_SECRET_LENGTH = 32;

/**
 * Parses OKTA_DPOP, OKTA_DPOP_ALGORITHMS, OKTA_DPOP_PROOF_MAX_AGE, OKTA_DPOP_NONCE,
 * OKTA_DPOP_NONCE_SECRET and PUBLIC_BASE_URL; throws ConfigError naming the setting.
 */
export function loadDpopConfig(env: Env, port: number): DpopConfig {
  const baseUrls = list(env.PUBLIC_BASE_URL, /,/);
  // Every bad setting is reported, not only the first (InvalidConfigError).
  const p = new ConfigProblems();
  const config: DpopConfig = {
    mode: p.check(() => parseMode(env.OKTA_DPOP), 'allowed'),
    algorithms: p.check(() => parseAlgorithms(env.OKTA_DPOP_ALGORITHMS), DEFAULT_ALGORITHMS),
    proofMaxAgeSeconds: p.check(
      () => integerSetting('OKTA_DPOP_PROOF_MAX_AGE', env.OKTA_DPOP_PROOF_MAX_AGE, DEFAULT_PROOF_MAX_AGE_SECONDS, 1, 600),
      DEFAULT_PROOF_MAX_AGE_SECONDS,
    ),
    publicBaseUrls: p.check(() => baseUrls?.map(parseBaseUrl), undefined) ?? [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
    publicBaseUrlConfigured: baseUrls !== undefined,
    nonce: {
      required: p.check(() => parseBoolean('OKTA_DPOP_NONCE', env.OKTA_DPOP_NONCE), false),
      secret: p.check(() => parseNonceSecret(env.OKTA_DPOP_NONCE_SECRET), undefined),
    },
  };
  p.throwIfAnyInGroup();
  return config;
}

function list(value: string | undefined, separator: RegExp): string[] | undefined {
  const items = value?.split(separator).map((s) => s.trim()).filter(Boolean);
  return items?.length ? items : undefined;
}

function parseMode(value: string | undefined): DpopMode {
  const mode = value?.trim().toLowerCase() || 'allowed';
  if (!(DPOP_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError('OKTA_DPOP', `must be one of ${DPOP_MODES.join(', ')}, got "${value}"`);
  }
  return mode as DpopMode;
}

function parseAlgorithms(value: string | undefined): JwsAlgorithm[] {
  const requested = list(value, /[\s,]+/) ?? DEFAULT_ALGORITHMS;
  for (const alg of requested) {
    if (!(SUPPORTED_ALGORITHMS as readonly string[]).includes(alg)) {
      throw new ConfigError(
        'OKTA_DPOP_ALGORITHMS',
        `"${alg}" is not allowed; choose from ${SUPPORTED_ALGORITHMS.join(', ')} (a proof is signed with an asymmetric key)`,
      );
    }
  }
  return requested as JwsAlgorithm[];
}

function parseBaseUrl(value: string): string {
  const setting = 'PUBLIC_BASE_URL';
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new ConfigError(setting, `"${value}" is not an absolute http(s) URL such as https://api.example.com`);
  }
  const url = new URL(value);
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError(setting, `"${value}" must not contain a query, fragment or credentials`);
  }
  if (!isSecureHttpUrl(value)) {
    throw new ConfigError(setting, `"${value}" must use https (plain http is accepted only for localhost)`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function parseBoolean(setting: string, value: string | undefined): boolean {
  const v = value?.trim().toLowerCase();
  if (!v || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw new ConfigError(setting, `must be true or false, got "${value}"`);
}

function parseNonceSecret(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < MIN_NONCE_SECRET_LENGTH) {
    throw new ConfigError('OKTA_DPOP_NONCE_SECRET', `must be at least ${MIN_NONCE_SECRET_LENGTH} characters (e.g. openssl rand -base64 32)`);
  }
  return value;
}


import { isIP } from 'node:net';
import { ConfigError } from './config.error';
import { ConfigProblems } from './config-problems';
import { integerSetting } from './integer-setting';
import { LOG_LEVELS, LogLevel, OperationsConfig, TrustProxy } from './operations-config';

type Env = Readonly<Record<string, string | undefined>>;

/** One success line in a million is as good as none; a larger number is more likely a typo. */
const MAX_SUCCESS_SAMPLE = 1_000_000;

/** Parses the operations settings; throws InvalidConfigError with one ConfigError per bad value. */
export function loadOperationsConfig(env: Env): OperationsConfig {
  // Every bad value is reported, not only the first (InvalidConfigError).
  const problems = new ConfigProblems();
  const config: OperationsConfig = {
    logging: {
      level: problems.check(() => parseLogLevel(env.LOG_LEVEL), 'info'),
      pretty: problems.check(() => parseLogFormat(env.LOG_FORMAT, env.NODE_ENV), false),
      successSample: problems.check(() => integerSetting('REQUEST_LOG_SAMPLE', env.REQUEST_LOG_SAMPLE, 1, 0, MAX_SUCCESS_SAMPLE), 1),
    },
    metrics: { enabled: problems.check(() => parseBoolean('METRICS_ENABLED', env.METRICS_ENABLED, true), true) },
    docs: { enabled: problems.check(() => parseBoolean('DOCS_ENABLED', env.DOCS_ENABLED, true), true) },
    trustProxy: problems.check(() => parseTrustProxy(env.TRUST_PROXY), false),
    shutdownTimeoutMs: 1000 * problems.check(() => parseSeconds('SHUTDOWN_TIMEOUT', env.SHUTDOWN_TIMEOUT, 10, 1, 600), 10),
  };
  problems.throwIfAny();
  return config;
}

function given(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function parseLogLevel(value: string | undefined): LogLevel {
  const level = given(value)?.toLowerCase() ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  }
  return level as LogLevel;
}

/** JSON in production, where logs are collected by machines; pretty elsewhere unless told otherwise. */
function parseLogFormat(value: string | undefined, nodeEnv: string | undefined): boolean {
  const format = given(value)?.toLowerCase();
  if (format === undefined) return nodeEnv !== 'production';
  if (format === 'json') return false;
  if (format === 'pretty') return true;
  throw new ConfigError('LOG_FORMAT', `must be json or pretty, got "${value}"`);
}

function parseBoolean(setting: string, value: string | undefined, fallback: boolean): boolean {
  const v = given(value)?.toLowerCase();
  if (v === undefined) return fallback;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new ConfigError(setting, `must be true or false, got "${value}"`);
}

function parseSeconds(setting: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (given(value) === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(setting, `must be an integer number of seconds from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = given(value);
  if (v === undefined || v.toLowerCase() === 'false') return false;
  if (v.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops < 1 || hops > 10) throw new ConfigError('TRUST_PROXY', `a hop count must be from 1 to 10, got "${value}"`);
    return hops;
  }
  const ranges = v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const range of ranges) {
    if (!isAddressOrCidr(range)) {
      throw new ConfigError(
        'TRUST_PROXY',
        `"${range}" is not an IP address or CIDR range (use true, false, a hop count, or a comma list of addresses)`,
      );
    }
  }
  return ranges;
}

function isAddressOrCidr(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

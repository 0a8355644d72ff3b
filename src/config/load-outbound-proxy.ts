import { OutboundProxyConfig } from './app-config';
import { ConfigError } from './config.error';
import { ConfigProblems } from './config-problems';
import type { Env } from './load-app-config';

/**
 * The proxy settings curl, undici and most tools share: HTTPS_PROXY, HTTP_PROXY and NO_PROXY, the
 * lowercase form winning when both are set (as in undici's EnvHttpProxyAgent). An empty value
 * means "none". Read here, once, so every outbound request follows the same settings.
 * @throws ConfigError naming the variable when a proxy is not an absolute http(s) URL
 */
export function loadOutboundProxy(env: Env): OutboundProxyConfig {
  const read = (name: string) => {
    const lower = name.toLowerCase();
    const setting = env[lower] !== undefined ? lower : name;
    return { setting, value: env[setting]?.trim() || undefined };
  };
  const proxyUrl = (name: string) => {
    const { setting, value } = read(name);
    if (value !== undefined && (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))) {
      // The value is not echoed: a proxy URL may carry a password.
      throw new ConfigError(setting, 'must be an absolute http(s) URL of a proxy, e.g. http://proxy.internal:3128');
    }
    return value;
  };
  // Every bad setting is reported, not only the first (InvalidConfigError).
  const p = new ConfigProblems();
  const config = {
    httpsProxy: p.check(() => proxyUrl('HTTPS_PROXY'), undefined),
    httpProxy: p.check(() => proxyUrl('HTTP_PROXY'), undefined),
    noProxy: read('NO_PROXY').value,
  };
  p.throwIfAnyInGroup();
  return config;
}

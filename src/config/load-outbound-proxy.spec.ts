import { ConfigError } from './config.error';
import { loadOutboundProxy } from './load-outbound-proxy';

describe('loadOutboundProxy', () => {
  it('reads no proxy when none is set, or when the value is empty', () => {
    expect(loadOutboundProxy({})).toEqual({});
    expect(loadOutboundProxy({ HTTPS_PROXY: ' ', NO_PROXY: '' })).toEqual({});
  });

  it('reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY, the lowercase form winning', () => {
    expect(
      loadOutboundProxy({
        HTTPS_PROXY: 'http://upper:3128',
        https_proxy: 'http://lower:3128',
        HTTP_PROXY: 'http://plain:3128',
        NO_PROXY: 'localhost,.internal',
      }),
    ).toEqual({ httpsProxy: 'http://lower:3128', httpProxy: 'http://plain:3128', noProxy: 'localhost,.internal' });
  });

  it('refuses a proxy that is not an http(s) URL, naming the variable and not echoing the value', () => {
    const attempt = () => loadOutboundProxy({ http_proxy: 'socks5://user:secret@proxy:1080' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/^http_proxy: must be an absolute http\(s\) URL/);
    expect(attempt).not.toThrow(/secret/);
  });
});

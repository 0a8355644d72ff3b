import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';

interface BaseUrl {
  readonly origin: string;
  /** Path prefix the proxy strips before this server, without a trailing slash; usually empty. */
  readonly path: string;
}

/** Longer than any URL a browser sends; parsing is skipped beyond it. */
const MAX_HTU_LENGTH = 8192;

/**
 * RFC 9449 §4.3 check 9: a proof's `htu` must be this request's URI, scheme, host, port and path
 * compared, query and fragment ignored on both sides. okta-auth-js copies the URL the app passes,
 * query included, so `/api/messages?page=2` signs `htu` `.../api/messages?page=2`.
 *
 * The request's URI is built from PUBLIC_BASE_URL (the URLs clients call, e.g. through a proxy or
 * load balancer) plus the path this server received, never from `Host` or `X-Forwarded-*`: those
 * are the client's to choose, and trusting them would let a proof made for another server pass
 * here. Both sides go through the WHATWG URL parser, so case in scheme and host, default ports and
 * dot segments compare equal.
 */
@Injectable()
export class RequestUri {
  private readonly bases: readonly BaseUrl[];

  constructor(@InjectAppConfig() config: AppConfig) {
    this.bases = config.dpop.publicBaseUrls.map((value) => {
      const url = new URL(value);
      return { origin: url.origin, path: url.pathname.replace(/\/+$/, '') };
    });
  }

  /** `target`: the request target as received (path and query, e.g. Fastify's `request.url`). */
  matches(htu: string, target: string): boolean {
    if (htu.length > MAX_HTU_LENGTH || !URL.canParse(htu)) return false;
    const claimed = new URL(htu);
    const end = target.search(/[?#]/);
    const path = end === -1 ? target : target.slice(0, end);
    for (const base of this.bases) {
      // Concatenated, not resolved: a path such as `//evil.example/x` must stay a path.
      if (claimed.origin === base.origin && claimed.pathname === new URL(`${base.origin}${base.path}${path}`).pathname) {
        return true;
      }
    }
    return false;
  }
}

import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { EnvHttpProxyAgent } from 'undici';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { fetchJson } from './fetch-json';

/** RFC 7517 §8.5 names the JWK Set type; some servers (Kubernetes' API server) answer 406 without it. */
export const JWKS_ACCEPT = 'application/jwk-set+json, application/json';
/** OpenID Connect Discovery §4.2: the metadata is `application/json`. */
export const METADATA_ACCEPT = 'application/json';

/**
 * The one way this server talks to the issuer: GETs of JSON documents through undici's
 * EnvHttpProxyAgent, so HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured (Node's own fetch ignores
 * them). The settings come from the validated configuration, never read again from the environment.
 */
@Injectable()
export class IssuerHttpClient implements OnApplicationShutdown {
  private readonly agent: EnvHttpProxyAgent;

  constructor(@InjectAppConfig() { outboundProxy }: AppConfig) {
    // '' rather than undefined: the agent would otherwise fall back to process.env itself.
    this.agent = new EnvHttpProxyAgent({
      httpsProxy: outboundProxy.httpsProxy ?? '',
      httpProxy: outboundProxy.httpProxy ?? '',
      noProxy: outboundProxy.noProxy ?? '',
    });
  }

  /** @see fetchJson for the errors thrown (FetchError, with a code). */
  getJson(url: string, accept: string, signal: AbortSignal): Promise<unknown> {
    return fetchJson(url, accept, this.agent, signal);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.destroy();
  }
}

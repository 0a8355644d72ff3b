import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { isSecureHttpUrl } from '../../config/secure-url';
import { IssuerHttpClient, METADATA_ACCEPT } from '../keys/issuer-http-client';
import { IntrospectionUnavailableError } from './request-introspection';

/** After a failed discovery, requests fail fast for this long instead of each asking the issuer again. */
const RETRY_AFTER_MS = 5000;

/**
 * Where tokens are introspected: OKTA_INTROSPECTION_URI (or `web.token_introspection_uri`) when
 * set, else `introspection_endpoint` from the issuer's metadata (RFC 8414 §2), remembered once found.
 * Never a guessed URL: every token sent there is a bearer credential.
 */
@Injectable()
export class IntrospectionEndpointResolver {
  private discovered?: string;
  private discovering?: Promise<string>;
  private failure?: { at: number; error: IntrospectionUnavailableError };

  constructor(
    @InjectAppConfig() private readonly config: AppConfig,
    private readonly http: IssuerHttpClient,
  ) {}

  /** The endpoint when already known, without waiting. */
  get known(): string | undefined {
    return this.config.introspection.endpoint ?? this.discovered;
  }

  /** Throws IntrospectionUnavailableError when the metadata cannot be had or names no usable endpoint. */
  resolve(signal: AbortSignal): Promise<string> {
    const known = this.known;
    if (known) return Promise.resolve(known);
    if (this.failure && Date.now() - this.failure.at < RETRY_AFTER_MS) return Promise.reject(this.failure.error);
    this.discovering ??= this.discover(signal).then(
      (endpoint) => {
        this.discovering = undefined;
        this.failure = undefined;
        return (this.discovered = endpoint);
      },
      (err: unknown) => {
        this.discovering = undefined;
        const error = new IntrospectionUnavailableError('no_endpoint', `introspection endpoint not discovered: ${(err as Error).message}`);
        this.failure = { at: Date.now(), error };
        throw error;
      },
    );
    return this.discovering;
  }

  private async discover(signal: AbortSignal): Promise<string> {
    const { issuer } = this.config.okta;
    const metadataUrl = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const metadata = (await this.http.getJson(metadataUrl, METADATA_ACCEPT, signal)) as Record<string, unknown> | null;
    // OpenID Connect Discovery §4.3: metadata for another issuer must not be used (mix-up attacks).
    if (metadata?.issuer !== issuer) throw new Error(`${metadataUrl} names issuer "${String(metadata?.issuer)}"`);
    const endpoint = metadata.introspection_endpoint;
    if (typeof endpoint !== 'string' || !isSecureHttpUrl(endpoint)) {
      throw new Error(`${metadataUrl} has no usable introspection_endpoint; set OKTA_INTROSPECTION_URI`);
    }
    return endpoint;
  }
}

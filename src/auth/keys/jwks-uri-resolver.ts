import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { isSecureHttpUrl } from '../../config/secure-url';
import { FetchError } from './fetch-json';
import { IssuerHttpClient, METADATA_ACCEPT } from './issuer-http-client';

/**
 * Finds the JWKS location: OKTA_JWKS_URI when set, else `jwks_uri` from the issuer's OpenID
 * metadata (remembered once found), else Okta's conventional `${issuer}/v1/keys` for this attempt.
 */
@Injectable()
export class JwksUriResolver {
  private readonly logger = new Logger(JwksUriResolver.name);
  private discovered?: string;

  constructor(
    @InjectAppConfig() private readonly config: AppConfig,
    private readonly http: IssuerHttpClient,
  ) {}

  async resolve(signal: AbortSignal): Promise<string> {
    const { issuer, jwksUri } = this.config.okta;
    if (jwksUri) return jwksUri;
    if (this.discovered) return this.discovered;

    const metadataUrl = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let metadata: Record<string, unknown>;
    try {
      metadata = (await this.http.getJson(metadataUrl, METADATA_ACCEPT, signal)) as Record<string, unknown>;
    } catch (err) {
      const fallback = `${issuer.replace(/\/$/, '')}/v1/keys`;
      this.logger.warn(`issuer metadata unavailable (${(err as Error).message}); trying ${fallback}`);
      return fallback;
    }
    // OpenID Connect Discovery §4.3: metadata for another issuer must not be used (mix-up attacks).
    if (metadata?.issuer !== issuer) {
      throw new FetchError(
        'issuer_mismatch',
        `the issuer metadata at ${metadataUrl} names issuer "${String(metadata?.issuer)}"; ${this.config.okta.settings?.issuer ?? 'OKTA_ISSUER'} must be exactly that`,
      );
    }
    const discovered = metadata.jwks_uri;
    if (typeof discovered !== 'string' || !isSecureHttpUrl(discovered)) {
      throw new FetchError('no_jwks_uri', `the issuer metadata at ${metadataUrl} has no usable jwks_uri`);
    }
    this.discovered = discovered;
    return discovered;
  }
}

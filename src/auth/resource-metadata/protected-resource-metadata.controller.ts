import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { Public } from '../decorators/public.decorator';
import { PROTECTED_RESOURCE_METADATA_PATH } from '../errors/www-authenticate';

/** RFC 9728 §2 (with RFC 9449 §5.1's DPoP members). */
export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported: readonly string[];
  readonly bearer_methods_supported: readonly string[];
  readonly dpop_signing_alg_values_supported?: readonly string[];
  readonly dpop_bound_access_tokens_required: boolean;
}

/**
 * RFC 9728: what a client needs to call this API, at `/.well-known/oauth-protected-resource`
 * (outside the `/api` prefix, see configureApp), and named by `resource_metadata` in every
 * challenge. The resource is the first PUBLIC_BASE_URL.
 */
@ApiTags('metadata')
@Public()
@Controller(PROTECTED_RESOURCE_METADATA_PATH)
export class ProtectedResourceMetadataController {
  private readonly metadata: ProtectedResourceMetadata;

  constructor(@InjectAppConfig() config: AppConfig) {
    const dpopOn = config.dpop.mode !== 'off';
    this.metadata = Object.freeze({
      resource: config.dpop.publicBaseUrls[0],
      authorization_servers: [config.okta.issuer],
      scopes_supported: [...config.okta.requiredScopes],
      // RFC 6750 §2.1 only: never the form body or the query string.
      bearer_methods_supported: ['header'],
      ...(dpopOn ? { dpop_signing_alg_values_supported: [...config.dpop.algorithms] } : {}),
      dpop_bound_access_tokens_required: config.dpop.mode === 'required',
    });
  }

  @Get()
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOkResponse({ description: 'OAuth 2.0 Protected Resource Metadata (RFC 9728)' })
  get(): ProtectedResourceMetadata {
    return this.metadata;
  }
}

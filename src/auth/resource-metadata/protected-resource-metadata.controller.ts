import { Controller, Get, Header, NotFoundException, OnModuleInit, Req } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { Public } from '../decorators/public.decorator';
import { RouteCatalog } from '../guards/route-catalog';
import { metadataLocations, PROTECTED_RESOURCE_METADATA_PATH } from './metadata-locations';
import { scopesSupported } from './scopes-supported';

/** RFC 9728 §2 (with RFC 9449 §5.1's DPoP members). */
export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported: readonly string[];
  readonly bearer_methods_supported: readonly string[];
  readonly dpop_signing_alg_values_supported?: readonly string[];
  readonly dpop_bound_access_tokens_required: boolean;
}

/** The request target as Fastify hands it over: path and query. */
interface TargetRequest {
  readonly url: string;
}

/**
 * RFC 9728: what a client needs to call this API, outside the `/api` prefix (see configureApp), and
 * named by `resource_metadata` in every challenge. One document per PUBLIC_BASE_URL path, at the path
 * RFC 9728 §3.1 derives from it: `/.well-known/oauth-protected-resource` for a base URL without a
 * path, `/.well-known/oauth-protected-resource/orders` for `https://api.example.com/orders`. Each
 * names that base URL as its `resource` (§3.3); any other path under the prefix is a 404.
 */
@ApiTags('metadata')
@Public()
@Controller(PROTECTED_RESOURCE_METADATA_PATH)
export class ProtectedResourceMetadataController implements OnModuleInit {
  /** By request path, built once at start: the documents depend on settings and decorators alone. */
  private documents: ReadonlyMap<string, ProtectedResourceMetadata> = new Map();

  constructor(
    @InjectAppConfig() private readonly config: AppConfig,
    private readonly routes: RouteCatalog,
  ) {}

  /** Once every controller is registered, so every route's scopes are known. */
  onModuleInit(): void {
    const { config } = this;
    const dpopOn = config.dpop.mode !== 'off';
    const scopes = Object.freeze(scopesSupported(config.okta.requiredScopes, this.routes.list().map((route) => route.policy)));
    const documents = new Map<string, ProtectedResourceMetadata>();
    for (const [path, resource] of metadataLocations(config.dpop.publicBaseUrls)) {
      documents.set(
        path,
        Object.freeze({
          resource,
          authorization_servers: [config.okta.issuer],
          scopes_supported: scopes,
          // RFC 6750 §2.1 only: never the form body or the query string.
          bearer_methods_supported: ['header'],
          ...(dpopOn ? { dpop_signing_alg_values_supported: [...config.dpop.algorithms] } : {}),
          dpop_bound_access_tokens_required: config.dpop.mode === 'required',
        }),
      );
    }
    this.documents = documents;
  }

  @Get()
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOperation({ summary: 'Metadata of a PUBLIC_BASE_URL without a path' })
  @ApiOkResponse({ description: 'OAuth 2.0 Protected Resource Metadata (RFC 9728)' })
  @ApiNotFoundResponse({ description: 'every PUBLIC_BASE_URL has a path: their documents are under it' })
  get(@Req() request: TargetRequest): ProtectedResourceMetadata {
    return this.documentFor(request);
  }

  // Fastify's wildcard (find-my-way syntax): the rest of the path, one segment or several.
  @Get('*')
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOperation({
    summary: 'Metadata of a PUBLIC_BASE_URL with a path (RFC 9728 §3.1)',
    description: 'At `/.well-known/oauth-protected-resource` followed by the path, e.g. `/orders` for https://api.example.com/orders.',
  })
  @ApiOkResponse({ description: 'OAuth 2.0 Protected Resource Metadata (RFC 9728) whose resource is that PUBLIC_BASE_URL' })
  @ApiNotFoundResponse({ description: 'no PUBLIC_BASE_URL has this path' })
  getForPath(@Req() request: TargetRequest): ProtectedResourceMetadata {
    return this.documentFor(request);
  }

  /** Looked up by the path as received, so `/orders` and `/orders/` stay distinct resources. */
  private documentFor({ url }: TargetRequest): ProtectedResourceMetadata {
    const end = url.indexOf('?');
    const document = this.documents.get(end === -1 ? url : url.slice(0, end));
    if (!document) throw new NotFoundException();
    return document;
  }
}

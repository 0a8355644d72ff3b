import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { AccessTokenClaims } from '../access-token-claims';
import { AuthDecisionEvents } from '../auth-decision-events';
import { VerifiedTokenCache } from '../cache/verified-token-cache';
import { authorizationHeaderOf, RequestWithHeaders } from '../credentials/authorization-header-of';
import { CredentialsRequest, REQUEST_CREDENTIALS } from '../credentials/credentials';
import { parseAuthorization } from '../credentials/parse-authorization';
import { MissingTokenError } from '../errors/bearer-token.error';
import { toBearerTokenError } from '../errors/to-bearer-token-error';
import { JWT_STRATEGY, VERIFIED_WITH, VerifyingRequest } from '../strategies/okta-jwt.strategy';
import { RoutePolicies } from './route-policies';

interface AuthenticatedRequest extends RequestWithHeaders, VerifyingRequest, CredentialsRequest {
  user?: Readonly<AccessTokenClaims>;
}

/**
 * Global: every route needs a valid access token unless it is marked `@Public()`. The Authorization
 * header is parsed here, once, and the credentials left on the request for passport-jwt's
 * `jwtFromRequest`. A token verified before is served from the VerifiedTokenCache; any other goes
 * through passport-jwt.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  constructor(
    private readonly policies: RoutePolicies,
    private readonly cache: VerifiedTokenCache,
    private readonly decisions: AuthDecisionEvents,
  ) {
    super();
  }

  /** Public routes and cached tokens are answered synchronously: Nest awaits only a promise. */
  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.policies.of(context).isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // Throws 400 invalid_request for a malformed Bearer or DPoP header.
    const credentials = parseAuthorization(authorizationHeaderOf(request));
    // No credentials, or DPoP ones: this server does not verify DPoP proofs yet (RFC 9449), so a
    // DPoP-bound token is refused like none at all rather than accepted as a bearer token.
    if (credentials?.scheme !== 'Bearer') throw new MissingTokenError();
    request[REQUEST_CREDENTIALS] = credentials;
    const cacheId = this.cache.enabled ? this.cache.idOf(credentials.token) : undefined;
    const cached = cacheId ? this.cache.get(cacheId) : undefined;
    if (cached) {
      request.user = cached;
      this.decisions.emit('allowed', cached, true);
      return true;
    }
    return this.verify(context, request, cacheId);
  }

  override handleRequest<T>(err: unknown, user: T | false, info: unknown): T {
    if (user && !err) return user;
    throw toBearerTokenError(err ?? info);
  }

  private async verify(context: ExecutionContext, request: AuthenticatedRequest, cacheId?: string): Promise<boolean> {
    await super.canActivate(context);
    const claims = request.user!;
    const verifiedWith = request[VERIFIED_WITH];
    if (cacheId && verifiedWith) this.cache.set(cacheId, claims, verifiedWith);
    this.decisions.emit('allowed', claims, false);
    return true;
  }
}

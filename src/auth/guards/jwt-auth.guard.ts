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
import { TokenIntrospector } from '../introspection/token-introspector';
import { JWT_STRATEGY, VERIFIED_WITH, VerifyingRequest } from '../strategies/okta-jwt.strategy';
import { RoutePolicies } from './route-policies';

interface AuthenticatedRequest extends RequestWithHeaders, VerifyingRequest, CredentialsRequest {
  user?: Readonly<AccessTokenClaims>;
}

/**
 * Global: every route needs a valid access token unless it is marked `@Public()`. The Authorization
 * header is parsed here, once, and the credentials left on the request for passport-jwt's
 * `jwtFromRequest`. This is the one place that chooses how the token is validated:
 * - by introspection at the issuer (RFC 7662) with OKTA_TOKEN_VALIDATION=introspect or on a route
 *   marked `@RequireActiveToken()`, answered from the introspection cache when it can be;
 * - otherwise locally as a JWT: from the VerifiedTokenCache, or through passport-jwt.
 * Either way the claims land on `request.user` and the same scope policies, metrics and errors apply.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  constructor(
    private readonly policies: RoutePolicies,
    private readonly cache: VerifiedTokenCache,
    private readonly decisions: AuthDecisionEvents,
    private readonly introspector: TokenIntrospector,
  ) {
    super();
  }

  /** Public routes and cached tokens are answered synchronously: Nest awaits only a promise. */
  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const policy = this.policies.of(context);
    if (policy.isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // Throws 400 invalid_request for a malformed Bearer or DPoP header.
    const credentials = parseAuthorization(authorizationHeaderOf(request));
    // No credentials, or DPoP ones: this server does not verify DPoP proofs yet (RFC 9449), so a
    // DPoP-bound token is refused like none at all rather than accepted as a bearer token.
    if (credentials?.scheme !== 'Bearer') throw new MissingTokenError();
    request[REQUEST_CREDENTIALS] = credentials;

    if (policy.introspect) {
      const id = this.introspector.idOf(credentials.token);
      const known = this.introspector.fromCache(id);
      return known ? this.allow(request, known, true) : this.introspect(request, credentials.token, id);
    }

    const cacheId = this.cache.enabled ? this.cache.idOf(credentials.token) : undefined;
    const cached = cacheId ? this.cache.get(cacheId) : undefined;
    if (cached) return this.allow(request, cached, true);
    return this.verify(context, request, cacheId);
  }

  override handleRequest<T>(err: unknown, user: T | false, info: unknown): T {
    if (user && !err) return user;
    throw toBearerTokenError(err ?? info);
  }

  private async introspect(request: AuthenticatedRequest, token: string, id: string): Promise<boolean> {
    const { claims, cached } = await this.introspector.introspect(token, id);
    // DPoP seam (RFC 9449 §6.2): an answer's `cnf.jkt` binds the token exactly as a JWT's does; the
    // proof check that runs on JWT claims runs here on these, before the request is allowed.
    return this.allow(request, claims, cached);
  }

  private async verify(context: ExecutionContext, request: AuthenticatedRequest, cacheId?: string): Promise<boolean> {
    await super.canActivate(context);
    const claims = request.user!;
    const verifiedWith = request[VERIFIED_WITH];
    if (cacheId && verifiedWith) this.cache.set(cacheId, claims, verifiedWith);
    return this.allow(request, claims, false);
  }

  private allow(request: AuthenticatedRequest, claims: Readonly<AccessTokenClaims>, cached: boolean): true {
    request.user = claims;
    this.decisions.emit('allowed', claims, cached);
    return true;
  }
}

import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { IncomingHttpHeaders } from 'node:http';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { DpopMode } from '../../config/dpop-config';
import { AccessTokenClaims } from '../access-token-claims';
import { AuthDecisionEvents } from '../auth-decision-events';
import { VerifiedTokenCache } from '../cache/verified-token-cache';
import { DpopProofError } from '../dpop/dpop-proof.error';
import { DpopProofVerifier } from '../dpop/dpop-proof.verifier';
import { JtiReplay } from '../dpop/jti-replay';
import { authorizationHeaderOf, RequestWithHeaders } from '../credentials/authorization-header-of';
import { CredentialsRequest, REQUEST_CREDENTIALS } from '../credentials/credentials';
import { parseAuthorization } from '../credentials/parse-authorization';
import { InvalidTokenError, MissingTokenError } from '../errors/bearer-token.error';
import { toBearerTokenError } from '../errors/to-bearer-token-error';
import { JWT_STRATEGY, VERIFIED_WITH, VerifyingRequest } from '../strategies/okta-jwt.strategy';
import { RoutePolicies } from './route-policies';

interface AuthenticatedRequest extends RequestWithHeaders, VerifyingRequest, CredentialsRequest {
  readonly headers: IncomingHttpHeaders;
  readonly method: string;
  /** The request target as received: path and query. */
  readonly url: string;
  user?: Readonly<AccessTokenClaims>;
}

/**
 * Global: every route needs a valid access token unless it is marked `@Public()`. The one place
 * that chooses how a request is authenticated. The Authorization header is parsed here, once, and the
 * credentials left on the request (for passport-jwt's `jwtFromRequest` and the error filter):
 * - `Authorization: Bearer`: the token alone (refused when it is bound to a key, `cnf`);
 * - `Authorization: DPoP` (unless OKTA_DPOP=off): the DPoP proof, then the token, then the token's
 *   `cnf.jkt` against the proof's key, then the proof's `jti` against replays (RFC 9449 §4.3, §7).
 * A token verified before is served from the VerifiedTokenCache; any other goes through passport-jwt.
 * The proof is checked on every request.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  private readonly dpopMode: DpopMode;

  constructor(
    private readonly policies: RoutePolicies,
    private readonly cache: VerifiedTokenCache,
    private readonly decisions: AuthDecisionEvents,
    private readonly proofs: DpopProofVerifier,
    private readonly replay: JtiReplay,
    @InjectAppConfig() config: AppConfig,
  ) {
    super();
    this.dpopMode = config.dpop.mode;
  }

  /** Public routes and cached Bearer tokens are answered synchronously: Nest awaits only a promise. */
  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.policies.of(context).isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // Throws 400 invalid_request for a malformed Bearer or DPoP header.
    const credentials = (request[REQUEST_CREDENTIALS] = parseAuthorization(authorizationHeaderOf(request)));
    if (credentials?.scheme === 'DPoP' && this.dpopMode !== 'off') return this.verifyDpop(context, request, credentials.token);
    // No credentials, another scheme, or DPoP while it is off (RFC 6750 §3.1: no error code).
    if (credentials?.scheme !== 'Bearer') throw new MissingTokenError();
    if (this.dpopMode === 'required') throw new InvalidTokenError('dpop_required');

    const cacheId = this.cache.enabled ? this.cache.idOf(credentials.token) : undefined;
    const cached = cacheId ? this.cache.get(cacheId) : undefined;
    if (cached) return this.allowBearer(request, cached, true);
    return this.verifyToken(context, request, cacheId).then((claims) => this.allowBearer(request, claims, false));
  }

  override handleRequest<T>(err: unknown, user: T | false, info: unknown): T {
    if (user && !err) return user;
    throw toBearerTokenError(err ?? info);
  }

  /** RFC 9449 §7.2: a token bound to a key is not a bearer token; accepting it so would undo the binding. */
  private allowBearer(request: AuthenticatedRequest, claims: Readonly<AccessTokenClaims>, cached: boolean): true {
    if (claims.cnf !== undefined) throw new InvalidTokenError('bound_token_as_bearer', { sub: claims.sub });
    request.user = claims;
    this.decisions.emit('allowed', claims, cached);
    return true;
  }

  private async verifyDpop(context: ExecutionContext, request: AuthenticatedRequest, token: string): Promise<boolean> {
    const proof = await this.proofs.verify(request.headers.dpop, { method: request.method, url: request.url, accessToken: token });

    const cacheId = this.cache.enabled ? this.cache.idOf(token) : undefined;
    const cached = cacheId ? this.cache.get(cacheId) : undefined;
    const claims = cached ?? (await this.verifyToken(context, request, cacheId));

    const jkt = claims.cnf?.jkt;
    if (jkt === undefined) throw new InvalidTokenError('dpop_token_not_bound', { sub: claims.sub });
    if (jkt !== proof.jkt) throw new DpopProofError('dpop_key_mismatch', { sub: claims.sub });
    // Last: only a proof that passed every check takes a place in the replay store.
    await this.replay.firstUse(proof);

    request.user = claims;
    this.decisions.emit('allowed', claims, cached !== undefined);
    return true;
  }

  /** passport-jwt verifies the token (it reads it back from the request's credentials); the result is cached. */
  private async verifyToken(
    context: ExecutionContext,
    request: AuthenticatedRequest,
    cacheId: string | undefined,
  ): Promise<Readonly<AccessTokenClaims>> {
    await super.canActivate(context);
    const claims = request.user!;
    const verifiedWith = request[VERIFIED_WITH];
    if (cacheId && verifiedWith) this.cache.set(cacheId, claims, verifiedWith);
    return claims;
  }
}

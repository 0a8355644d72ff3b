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
import { Credentials, CredentialsRequest, REQUEST_CREDENTIALS } from '../credentials/credentials';
import { parseAuthorization } from '../credentials/parse-authorization';
import { InvalidRequestError, InvalidTokenError, MissingTokenError } from '../errors/bearer-token.error';
import { toBearerTokenError } from '../errors/to-bearer-token-error';
import { TokenIntrospector } from '../introspection/token-introspector';
import { JWT_STRATEGY, VERIFIED_WITH, VerifyingRequest } from '../strategies/okta-jwt.strategy';
import { RoutePolicies } from './route-policies';

interface AuthenticatedRequest extends RequestWithHeaders, VerifyingRequest, CredentialsRequest {
  readonly headers: IncomingHttpHeaders;
  readonly method: string;
  /** The request target as received: path and query. */
  readonly url: string;
  user?: Readonly<AccessTokenClaims>;
}

/** A token's claims, and whether they came from a cache rather than a fresh check. */
interface Validated {
  readonly claims: Readonly<AccessTokenClaims>;
  readonly cached: boolean;
}

/**
 * Global: every route needs a valid access token unless it is marked `@Public()`. The one place
 * that chooses how a request is authenticated. The Authorization header is parsed here, once, and the
 * credentials left on the request (for passport-jwt's `jwtFromRequest` and the error filter):
 * - `Authorization: Bearer`: the token alone (refused when it is bound to a key, `cnf`);
 * - `Authorization: DPoP` (unless OKTA_DPOP=off): the DPoP proof, then the token, then the token's
 *   `cnf.jkt` against the proof's key, then the proof's `jti` against replays (RFC 9449 §4.3, §7).
 * Either way the token itself is validated one of two ways:
 * - by introspection at the issuer (RFC 7662) with OKTA_TOKEN_VALIDATION=introspect or on a route
 *   marked `@RequireActiveToken()`, answered from the introspection cache when it can be;
 * - otherwise locally as a JWT: from the VerifiedTokenCache, or through passport-jwt.
 * The claims (a JWT's, or the introspection answer) then meet the same binding, scope and step-up rules.
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
    private readonly introspector: TokenIntrospector,
    @InjectAppConfig() config: AppConfig,
  ) {
    super();
    this.dpopMode = config.dpop.mode;
  }

  /** Public routes and cached Bearer tokens are answered synchronously: Nest awaits only a promise. */
  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const { isPublic, introspect } = this.policies.of(context);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const credentials = (request[REQUEST_CREDENTIALS] = this.credentialsOf(request));
    if (credentials?.scheme === 'DPoP' && this.dpopMode !== 'off') {
      return this.verifyDpop(context, request, credentials.token, introspect);
    }
    // No credentials, another scheme, or DPoP while it is off (RFC 6750 §3.1: no error code).
    if (credentials?.scheme !== 'Bearer') throw new MissingTokenError();
    if (this.dpopMode === 'required') throw new InvalidTokenError('dpop_required');

    const lookup = this.fromCache(credentials.token, introspect);
    if (lookup.hit) return this.allowBearer(request, lookup.hit);
    return this.validate(context, request, credentials.token, introspect, lookup.id).then((fresh) => this.allowBearer(request, fresh));
  }

  /**
   * The request's Authorization credentials. Throws 400 invalid_request for a malformed Bearer or
   * DPoP header, except a DPoP one under OKTA_DPOP=off: that scheme is then no credentials here, as
   * Basic is, whatever follows it (401 with a bare Bearer challenge, RFC 6750 §3.1).
   */
  private credentialsOf(request: AuthenticatedRequest): Credentials | undefined {
    try {
      return parseAuthorization(authorizationHeaderOf(request));
    } catch (err) {
      if (this.dpopMode === 'off' && err instanceof InvalidRequestError && err.scheme === 'DPoP') return undefined;
      throw err;
    }
  }

  override handleRequest<T>(err: unknown, user: T | false, info: unknown): T {
    if (user && !err) return user;
    throw toBearerTokenError(err ?? info);
  }

  /** RFC 9449 §7.2: a token bound to a key is not a bearer token; accepting it so would undo the binding. */
  private allowBearer(request: AuthenticatedRequest, { claims, cached }: Validated): true {
    if (claims.cnf !== undefined) throw new InvalidTokenError('bound_token_as_bearer', { sub: claims.sub });
    request.user = claims;
    this.decisions.emit('allowed', claims, cached);
    return true;
  }

  private async verifyDpop(context: ExecutionContext, request: AuthenticatedRequest, token: string, introspect: boolean): Promise<boolean> {
    const proof = await this.proofs.verify(request.headers.dpop, { method: request.method, url: request.url, accessToken: token });

    // An introspection answer's `cnf.jkt` binds the token exactly as a JWT's does (RFC 9449 §6.2).
    const lookup = this.fromCache(token, introspect);
    const { claims, cached } = lookup.hit ?? (await this.validate(context, request, token, introspect, lookup.id));

    const jkt = claims.cnf?.jkt;
    if (jkt === undefined) throw new InvalidTokenError('dpop_token_not_bound', { sub: claims.sub });
    if (jkt !== proof.jkt) throw new DpopProofError('dpop_key_mismatch', { sub: claims.sub });
    // Last: only a proof that passed every check takes a place in the replay store.
    await this.replay.firstUse(proof);

    request.user = claims;
    this.decisions.emit('allowed', claims, cached);
    return true;
  }

  /**
   * Without waiting: the claims of a JWT verified before, or of a token this instance holds an
   * introspection answer for (refused here if the answer refuses it). `id` is the token's cache key
   * when it was hashed (at most once per request), handed on to `validate` on a miss.
   */
  private fromCache(token: string, introspect: boolean): { hit?: Validated; id?: string } {
    if (introspect) {
      const id = this.introspector.idOf(token);
      const claims = this.introspector.fromCache(id);
      return { hit: claims && { claims, cached: true }, id };
    }
    if (!this.cache.enabled) return {};
    const { claims, id } = this.cache.lookup(token);
    return { hit: claims && { claims, cached: true }, id };
  }

  /** The token's claims from the issuer (RFC 7662), or from passport-jwt's verification (then offered to the cache). */
  private async validate(
    context: ExecutionContext,
    request: AuthenticatedRequest,
    token: string,
    introspect: boolean,
    id: string | undefined,
  ): Promise<Validated> {
    if (introspect) return this.introspector.introspect(token, id ?? this.introspector.idOf(token));
    await super.canActivate(context);
    const claims = request.user!;
    const verifiedWith = request[VERIFIED_WITH];
    if (this.cache.enabled && verifiedWith) this.cache.set(token, id, claims, verifiedWith);
    return { claims, cached: false };
  }
}

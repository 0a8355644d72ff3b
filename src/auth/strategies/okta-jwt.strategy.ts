import { Injectable, Logger } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { JwtFromRequestFunction, Strategy } from 'passport-jwt';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { AccessTokenClaims } from '../access-token-claims';
import { CredentialsRequest, REQUEST_CREDENTIALS } from '../credentials/credentials';
import { InvalidTokenError } from '../errors/bearer-token.error';
import { VerifiedWith } from '../cache/verified-token-cache';
import { SigningKey, SigningKeyStore } from '../keys/signing-key-store';
import { findClaimViolation } from '../validation/claim-validators';
import { keyFitsAlgorithm } from '../validation/key-fits-algorithm';
import { CheckedHeaders } from '../validation/checked-headers';

export const JWT_STRATEGY = 'okta-jwt';

/**
 * Where the strategy leaves, on the request, the key that verified its token: passport hands a
 * strategy the request, not the guard's state, and the verified-token cache binds entries to it.
 */
export const VERIFIED_WITH = Symbol('verifiedWith');
export interface VerifyingRequest {
  [VERIFIED_WITH]?: VerifiedWith;
}
const logger = new Logger('OktaJwtStrategy');

/**
 * The token JwtAuthGuard parsed from the Authorization header (RFC 6750 §2.1 only: never the query
 * string, §2.3 leaks tokens into logs and history). Reading it back, rather than parsing again with
 * passport-jwt's extractors, keeps one strict parse per request: `fromAuthHeaderAsBearerToken`
 * backtracks quadratically on a long header and accepts trailing words.
 */
const tokenParsedByGuard: JwtFromRequestFunction<CredentialsRequest> = (req) => req[REQUEST_CREDENTIALS]?.token ?? null;

/**
 * passport-jwt does the signature (jsonwebtoken, with the issuer's key chosen by
 * `kid`); this class picks the key and then checks the claims itself, so each refusal has a precise
 * reason instead of jsonwebtoken's message strings.
 */
@Injectable()
export class OktaJwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    @InjectAppConfig() private readonly config: AppConfig,
    keyStore: SigningKeyStore,
  ) {
    const headers = new CheckedHeaders(new Set<string>(config.okta.algorithms));
    super({
      jwtFromRequest: tokenParsedByGuard,
      secretOrKeyProvider: (req: VerifyingRequest, rawToken: string, done) => {
        let header;
        try {
          header = headers.of(rawToken);
        } catch (err) {
          return done(err);
        }
        const { alg, kid } = header;
        const useKey = (signingKey: SigningKey) => {
          if (!keyFitsAlgorithm(alg, signingKey)) return done(new InvalidTokenError('key_mismatch', { kid, alg }));
          req[VERIFIED_WITH] = { kid, signingKey };
          // jsonwebtoken 9 accepts a KeyObject; passport-jwt's types predate that.
          done(null, signingKey.key as unknown as string);
        };
        // Steady state: the key is cached and the token is verified without waiting on a promise.
        const cached = keyStore.cachedKey(kid, alg);
        if (cached) return useKey(cached);
        keyStore
          .getKey(kid, alg)
          .then(useKey, (err: unknown) => done(err))
          // passport reports its own failures through `done`; this only keeps a bug from becoming an
          // unhandled rejection, which would end the process.
          .catch((err: unknown) => logger.error(`key lookup callback failed: ${String(err)}`));
      },
      algorithms: [...config.okta.algorithms],
      // Time claims are checked below with the configured tolerance and a precise reason.
      ignoreExpiration: true,
      jsonWebTokenOptions: { ignoreNotBefore: true },
    });
  }

  validate(payload: unknown): AccessTokenClaims {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new InvalidTokenError('malformed');
    }
    const claims = payload as AccessTokenClaims;
    const reason = findClaimViolation(claims, { now: Math.floor(Date.now() / 1000), config: this.config.okta });
    if (reason) {
      throw new InvalidTokenError(reason, { iss: claims.iss, aud: claims.aud, sub: claims.sub, cid: claims.cid ?? claims.client_id ?? claims.azp ?? claims.appid });
    }
    // Verified claims are shared (the cache hands one object to every request with the token):
    // no handler may change what later requests are granted, e.g. by pushing to `scp`.
    return deepFreeze(claims);
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

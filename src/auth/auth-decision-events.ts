import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { AccessTokenClaims } from './access-token-claims';
import { BearerTokenError } from './errors/bearer-token.error';

export interface AuthDecisionEventMap {
  /** A protected route let a request through. `cached`: the token was found in the verified-token cache. */
  allowed: [claims: AccessTokenClaims, cached: boolean];
  /** A request was refused; the error carries the reason code and the safe-to-log context. */
  refused: [error: BearerTokenError];
}

/**
 * Every authentication decision, for observers (metrics, logs) that the auth module must not know
 * about. Emitting with no listener costs next to nothing on the request path.
 */
@Injectable()
export class AuthDecisionEvents extends EventEmitter<AuthDecisionEventMap> {}

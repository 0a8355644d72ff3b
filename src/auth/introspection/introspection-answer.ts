import { AccessTokenClaims } from '../access-token-claims';

/**
 * An introspection answer (RFC 7662 §2.2) with the members Okta adds (`uid`, `username`,
 * `device_id`). Only `active` is required by the RFC; the rest are checked by INTROSPECTION_CHECKS.
 */
export interface IntrospectionAnswer {
  readonly active: boolean;
  readonly scope?: string;
  readonly client_id?: string;
  readonly username?: string;
  readonly token_type?: string;
  /** Seconds since the epoch, as every time below. */
  readonly exp?: number;
  readonly iat?: number;
  readonly nbf?: number;
  readonly sub?: string;
  readonly aud?: string | readonly string[];
  readonly iss?: string;
  readonly jti?: string;
  /** RFC 9449 §6.2 / RFC 7800: `cnf.jkt` binds the token to a DPoP key. */
  readonly cnf?: Readonly<Record<string, unknown>>;
  readonly [member: string]: unknown;
}

/** The issuer answered something that is not an RFC 7662 answer; the token's fate is unknown. */
export class InvalidAnswerError extends Error {
  override name = 'InvalidAnswerError';
}

const STRING_MEMBERS = ['scope', 'client_id', 'username', 'token_type', 'sub', 'iss', 'jti'] as const;
const TIME_MEMBERS = ['exp', 'iat', 'nbf'] as const;

/**
 * Checks the types of the members this server reads. A wrongly typed member is the issuer's fault
 * (or a proxy's), not the token's: the caller reports introspection as unavailable, never the token
 * as valid. Throws InvalidAnswerError.
 */
export function parseIntrospectionAnswer(body: unknown): IntrospectionAnswer {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidAnswerError('not a JSON object');
  const answer = body as Record<string, unknown>;
  if (typeof answer.active !== 'boolean') throw new InvalidAnswerError('"active" is not a boolean');
  // RFC 7662 §2.2: an inactive answer says nothing else that may be relied on.
  if (!answer.active) return INACTIVE;
  for (const member of STRING_MEMBERS) {
    if (answer[member] !== undefined && typeof answer[member] !== 'string') throw new InvalidAnswerError(`"${member}" is not a string`);
  }
  for (const member of TIME_MEMBERS) {
    const v = answer[member];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v))) throw new InvalidAnswerError(`"${member}" is not a number`);
  }
  const aud = answer.aud;
  if (aud !== undefined && typeof aud !== 'string' && !(Array.isArray(aud) && aud.every((a) => typeof a === 'string'))) {
    throw new InvalidAnswerError('"aud" is neither a string nor an array of strings');
  }
  const cnf = answer.cnf;
  if (cnf !== undefined && (typeof cnf !== 'object' || cnf === null || Array.isArray(cnf))) throw new InvalidAnswerError('"cnf" is not an object');
  return deepFreeze(answer as IntrospectionAnswer);
}

export const INACTIVE: IntrospectionAnswer = Object.freeze({ active: false });

/**
 * The answer as the claims handlers see through `@Claims()`: the same members, so `sub`, `scope`,
 * `client_id`, `uid` read alike in both modes. Shared by every request with the token: frozen.
 */
export function claimsOf(answer: IntrospectionAnswer): Readonly<AccessTokenClaims> {
  return answer as unknown as Readonly<AccessTokenClaims>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

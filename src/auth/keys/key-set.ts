import { keyFitsAlgorithm } from '../validation/key-fits-algorithm';
import type { SigningKey } from './signing-key-store';

/** The usable keys of one successful JWKS answer, and when it came. */
export interface KeySet {
  readonly keys: readonly SigningKey[];
  /** Membership by identity: what the verified-token cache asks on every hit. */
  readonly held: ReadonlySet<SigningKey>;
  readonly fetchedAt: number;
}

export function keySet(keys: readonly SigningKey[], fetchedAt: number): KeySet {
  return { keys, held: new Set(keys), fetchedAt };
}

/** The key for a token, or the refusal reason when there is not exactly one. */
export type KeyChoice = SigningKey | 'unknown_kid' | 'key_mismatch' | 'ambiguous_kid';

/**
 * Chooses the key for a token's `kid` and `alg`. A kid may be published more than once (RFC 7517
 * §4.5, e.g. one key per algorithm, or one for signatures and one for encryption): the entry whose
 * type and `alg` fit the token is chosen. A token without `kid` is accepted only when the issuer
 * publishes a single usable key; with several it is refused as ambiguous rather than tried against
 * each (passport-jwt verifies with one key, and Okta names the key in every token it signs).
 *
 * `""` is a kid like any other; only an absent kid means "none".
 */
export function chooseKey(set: KeySet, kid: string | undefined, alg: string): KeyChoice {
  if (kid === undefined) {
    if (set.keys.length === 0) return 'unknown_kid';
    if (set.keys.length > 1) return 'ambiguous_kid';
    return keyFitsAlgorithm(alg, set.keys[0]) ? set.keys[0] : 'key_mismatch';
  }
  let named = false;
  let choice: SigningKey | undefined;
  for (const key of set.keys) {
    if (key.kid !== kid) continue;
    named = true;
    if (!keyFitsAlgorithm(alg, key)) continue;
    if (choice) return 'ambiguous_kid';
    choice = key;
  }
  return choice ?? (named ? 'key_mismatch' : 'unknown_kid');
}

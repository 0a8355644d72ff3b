import { AuthenticationRequirement } from '../step-up/authentication-requirement';
import { UnmetRequirement } from '../step-up/unmet-requirements';
import { BearerTokenError, RefusalContext } from './bearer-token.error';

/**
 * Descriptions by what failed. Like every description they go into a quoted-string, and also through
 * okta-auth-js's WWWAuthError.parseHeader, which reads a quoted value only when it holds letters,
 * digits, spaces and `!#$%&'*+-.,^_|~/:`: nothing else may appear here.
 */
const DESCRIPTIONS = {
  acr: 'a stronger user authentication is required',
  max_age: 'a more recent user authentication is required',
  both: 'a stronger and more recent user authentication is required',
} as const;

/**
 * RFC 9470 §3: the token is valid, but the user's sign-in is too weak (`acr`) or too old
 * (`auth_time`) for this route. A 401, so the client gets a new token, with the challenge naming
 * what to ask the authorization server for: `acr_values` (acceptable values, most preferred first)
 * when `acr` failed, `max_age` (seconds) when freshness failed, both when both did.
 *
 * The challenge is rendered like every other (WwwAuthenticate): under `DPoP` for a request sent
 * with that scheme, with the same parameters.
 */
export class InsufficientUserAuthenticationError extends BearerTokenError {
  readonly status = 401;
  readonly errorCode = 'insufficient_user_authentication';
  /** The parts of the route's requirement the token missed, in challenge order. */
  readonly unmet: readonly UnmetRequirement[];

  constructor(
    /** The route's whole requirement; only its unmet parts go into the challenge. */
    readonly requirement: AuthenticationRequirement,
    unmet: readonly UnmetRequirement[],
    context: RefusalContext = {},
  ) {
    super('insufficient_user_authentication', { ...context, unmet: unmet.join(',') });
    this.unmet = Object.freeze([...unmet]);
    this.message = this.description;
  }

  override get description(): string {
    if (this.unmet.length === 2) return DESCRIPTIONS.both;
    return this.unmet[0] === 'max_age' ? DESCRIPTIONS.max_age : DESCRIPTIONS.acr;
  }

  protected override challengeParams(): Record<string, string> {
    const params: Record<string, string> = {};
    if (this.unmet.includes('acr') && this.requirement.acr) params.acr_values = this.requirement.acr.join(' ');
    if (this.unmet.includes('max_age') && this.requirement.maxAge !== undefined) {
      params.max_age = String(this.requirement.maxAge);
    }
    return params;
  }
}

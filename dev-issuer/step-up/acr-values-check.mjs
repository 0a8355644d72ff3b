import { interactionPolicy } from 'oidc-provider';
import { meetsAcr, requestedAcr } from './authentication-levels.mjs';

const { Check, base } = interactionPolicy;

/** The login prompt's reason when only the requested `acr` is missing from an existing session. */
export const ACR_VALUES_REASON = 'acr_values';

/**
 * oidc-provider's default prompts, with one more login check: a session whose `acr` is weaker than
 * the first supported value of `acr_values` signs in again (Okta steps up the same way). oidc-provider
 * itself only acts on `acr` requested as essential through the `claims` parameter, which okta-auth-js
 * never sends; `acr_values` is what its `acrValues` option becomes.
 */
export function stepUpInteractionPolicy() {
  const policy = base();
  policy.get('login').checks.add(
    new Check(ACR_VALUES_REASON, 'the requested authentication level has not been reached', (ctx) => {
      const { oidc } = ctx;
      const requested = requestedAcr(oidc.params.acr_values);
      if (requested === undefined || !oidc.session.accountId) return Check.NO_NEED_TO_PROMPT;
      return meetsAcr(oidc.acr, requested) ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
    }),
  );
  return policy;
}

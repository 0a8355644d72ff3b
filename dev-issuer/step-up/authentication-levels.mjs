/**
 * The `acr` values the dev issuer can achieve, named as Okta names them: a password alone, or a
 * password and a second factor (here a one-time code shown on the sign-in page).
 */
export const ACR_PASSWORD = 'urn:okta:loa:1fa:pwd';
export const ACR_TWO_FACTOR = 'urn:okta:loa:2fa:any';

/** Advertised as `acr_values_supported` in discovery. */
export const SUPPORTED_ACR_VALUES = Object.freeze([ACR_PASSWORD, ACR_TWO_FACTOR]);

/** How strong each achievable `acr` is; a stronger sign-in also meets a weaker request. */
const STRENGTH = new Map([
  [ACR_PASSWORD, 1],
  [ACR_TWO_FACTOR, 2],
]);

/**
 * The `acr` an authorization request asks for: the first value of `acr_values` (space-separated,
 * most preferred first) this issuer supports. Values it does not support are ignored silently, as
 * Okta ignores them; undefined when none is left.
 */
export function requestedAcr(acrValues) {
  if (typeof acrValues !== 'string') return undefined;
  return acrValues.split(' ').find((value) => STRENGTH.has(value));
}

/** Whether a sign-in that achieved `achieved` meets a request for `requested` (undefined: anything). */
export function meetsAcr(achieved, requested) {
  if (requested === undefined) return true;
  return (STRENGTH.get(achieved) ?? 0) >= STRENGTH.get(requested);
}

/** Whether a request needs the second step. */
export function needsSecondFactor(acrValues) {
  return requestedAcr(acrValues) === ACR_TWO_FACTOR;
}

import { JwsAlgorithm } from './app-config';

/** OKTA_DPOP: `allowed` (Bearer and DPoP), `required` (DPoP only), `off` (Bearer only). */
export const DPOP_MODES = ['allowed', 'required', 'off'] as const;
export type DpopMode = (typeof DPOP_MODES)[number];

/** DPoP (RFC 9449) settings, and the URLs under which clients reach this API. */
export interface DpopConfig {
  readonly mode: DpopMode;
  /** Algorithms a proof may be signed with (asymmetric only); announced in `algs=` and the metadata. */
  readonly algorithms: readonly JwsAlgorithm[];
  /** Seconds a proof is accepted after its `iat` (plus the clock tolerance either side). */
  readonly proofMaxAgeSeconds: number;
  /**
   * The origins (optionally with a path prefix, no trailing slash) clients call this API at: a
   * proof's `htu` must be one of them plus the request's path. The first is the RFC 9728 resource.
   */
  readonly publicBaseUrls: readonly string[];
  /** Whether PUBLIC_BASE_URL was set; otherwise the loopback defaults for the listen port are used. */
  readonly publicBaseUrlConfigured: boolean;
  /** Server nonces (RFC 9449 §9): every proof must carry a current one. */
  readonly nonce: { readonly required: boolean; readonly secret?: string };
}

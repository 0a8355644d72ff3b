import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { AuthDecisionEvents } from '../auth-decision-events';
import { DpopNonceError } from '../dpop/dpop-proof.error';
import { CredentialsRequest, REQUEST_CREDENTIALS } from '../credentials/credentials';
import { BearerTokenError, RefusalContext } from './bearer-token.error';
import { RefusalReason } from './refusal-reason';
import { WwwAuthenticate } from './www-authenticate';

/** Token fields are chosen by the caller: bound their size so a hostile token cannot bloat the logs. */
const MAX_LOGGED_LENGTH = 200;

/**
 * Okta's org authorization server (issuer `https://{domain}`, no `/oauth2/`) signs tokens for Okta's
 * own APIs with keys it does not publish for third parties: a resource server can never validate them.
 */
const ORG_AUTHORIZATION_SERVER_HINT =
  'the token comes from the Okta org authorization server (issuer without /oauth2/), whose tokens cannot be ' +
  'validated by a resource server; have the app request tokens from a custom authorization server such as ' +
  'https://{yourOktaDomain}/oauth2/default';

/** Refusals that are the server's own fault, logged at error rather than warn. */
const SERVER_FAULTS: ReadonlySet<RefusalReason> = new Set<RefusalReason>(['internal', 'misconfigured_issuer']);

const STATUS_TEXT = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden' } as const;

/** Renders a refused token as RFC 6750 §3 and RFC 9449 §7.1 prescribe: status, challenge, and a small JSON body. */
@Catch(BearerTokenError)
export class BearerTokenErrorFilter implements ExceptionFilter<BearerTokenError> {
  private readonly logger = new Logger('Auth');
  private readonly challenges: WwwAuthenticate;
  /** Set when the configured issuer is an Okta custom authorization server (`.../oauth2/...`). */
  private readonly oktaOrigin?: string;
  /**
   * For a claim that does not match this server's settings: the setting holding the expected value,
   * so the log line says what to change (the token's own value is logged beside it).
   */
  private readonly expectedBy: Partial<Record<RefusalReason, { setting: string; expected: string }>>;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly decisions: AuthDecisionEvents,
    @InjectAppConfig() config: AppConfig,
  ) {
    this.challenges = new WwwAuthenticate(config);
    const { audiences, clientId, settings } = config.okta;
    this.expectedBy = {
      wrong_issuer: { setting: settings?.issuer ?? 'OKTA_ISSUER', expected: config.okta.issuer },
      wrong_audience: { setting: 'OKTA_AUDIENCE', expected: audiences.join(', ') },
      wrong_client: { setting: settings?.clientId ?? 'OKTA_CLIENT_ID', expected: clientId ?? '' },
    };
    const issuer = new URL(config.okta.issuer);
    if (issuer.pathname.includes('/oauth2/')) this.oktaOrigin = issuer.origin;
  }

  catch(error: BearerTokenError, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const http = host.switchToHttp();
    const response = http.getResponse();
    const request = http.getRequest<CredentialsRequest & { id?: unknown }>();
    this.decisions.emit('refused', error);
    const expected = this.expectedBy[error.reason];
    this.logger[SERVER_FAULTS.has(error.reason) ? 'error' : 'warn']({
      msg: 'access refused',
      // Fastify's request id, which the request's own log line and X-Request-Id also carry.
      reqId: request.id,
      reason: error.reason,
      status: error.status,
      ...loggable(error.context),
      ...(expected && { setting: expected.setting, expected: bounded(expected.expected) }),
      hint: this.isOrgIssuer(error.context.iss) ? ORG_AUTHORIZATION_SERVER_HINT : undefined,
    });
    httpAdapter.setHeader(response, 'WWW-Authenticate', this.challenges.of(error, request[REQUEST_CREDENTIALS]?.scheme));
    if (error instanceof DpopNonceError) httpAdapter.setHeader(response, 'DPoP-Nonce', error.nonce);
    httpAdapter.setHeader(response, 'Cache-Control', 'no-store');
    httpAdapter.reply(
      response,
      {
        statusCode: error.status,
        error: STATUS_TEXT[error.status],
        message: error.description,
      },
      error.status,
    );
  }

  /**
   * The org server lives on the same Okta domain as the configured custom server, without the
   * `/oauth2/{id}` path. Okta custom domains rule out matching on `*.okta.com`.
   */
  private isOrgIssuer(iss: unknown): boolean {
    if (this.oktaOrigin === undefined || typeof iss !== 'string' || !URL.canParse(iss)) return false;
    const url = new URL(iss);
    return url.origin === this.oktaOrigin && !url.pathname.includes('/oauth2/');
  }
}

function loggable(context: RefusalContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(context)) out[key] = bounded(value);
  return out;
}

function bounded(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.length > MAX_LOGGED_LENGTH ? `${value.slice(0, MAX_LOGGED_LENGTH)}…` : value;
  }
  if (Array.isArray(value)) return value.slice(0, 10).map(bounded);
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || value === undefined) return value;
  return `[${typeof value}]`;
}

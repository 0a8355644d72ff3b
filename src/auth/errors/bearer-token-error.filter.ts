import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app.config';
import { AuthDecisionEvents } from '../auth-decision-events';
import { BearerTokenError } from './bearer-token.error';

/** Renders a refused token as RFC 6750 §3 prescribes: status, challenge, and a small JSON body. */
@Catch(BearerTokenError)
export class BearerTokenErrorFilter implements ExceptionFilter<BearerTokenError> {
  private readonly logger = new Logger('Auth');
  private readonly realm: string;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly decisions: AuthDecisionEvents,
    @InjectAppConfig() config: AppConfig,
  ) {
    this.realm = config.okta.audiences[0];
  }

  catch(error: BearerTokenError, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const response = host.switchToHttp().getResponse();
    this.decisions.emit('refused', error);
    this.logger[error.reason === 'internal' ? 'error' : 'warn']({
      msg: 'access refused',
      reason: error.reason,
      status: error.status,
      ...error.context,
    });
    httpAdapter.setHeader(response, 'WWW-Authenticate', error.wwwAuthenticate(this.realm));
    httpAdapter.setHeader(response, 'Cache-Control', 'no-store');
    httpAdapter.reply(
      response,
      {
        statusCode: error.status,
        error: error.status === 401 ? 'Unauthorized' : 'Forbidden',
        message: error.description,
      },
      error.status,
    );
  }
}

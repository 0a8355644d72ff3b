import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { TokenIntrospector } from '../auth/introspection/token-introspector';

/**
 * Readiness of token introspection (RFC 7662): down while the latest call to the introspection
 * endpoint failed, since every token not already cached is then refused. A probe that finds no
 * recent call asks the issuer itself (about a random token), which also proves this server's client
 * credentials. `gate`: whether a failure makes the instance not ready (only when every token is
 * introspected); otherwise (`jwt` mode, `@RequireActiveToken()` routes) the state is shown once
 * introspection was used, and the check stays up.
 */
@Injectable()
export class IntrospectionHealthIndicator {
  constructor(
    private readonly introspector: TokenIntrospector,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key: string, gate: boolean): Promise<HealthIndicatorResult> {
    if (gate) await this.introspector.probe();
    const status = this.introspector.status();
    if (!gate && status.lastCallAt === undefined) return {};
    const details = {
      endpoint: status.endpoint ?? null,
      clientConfigured: status.clientConfigured,
      lastCall: status.lastCallAt === undefined ? 'none' : status.lastError ? 'error' : 'success',
      lastCallAt: status.lastCallAt?.toISOString() ?? null,
      lastSuccessAt: status.lastSuccessAt?.toISOString() ?? null,
      ...(status.lastError ? { lastError: status.lastError } : {}),
      inFlight: status.inFlight,
      cachedAnswers: status.cachedAnswers,
    };
    const session = this.indicators.check(key);
    return gate && (status.lastError !== undefined || !status.clientConfigured) ? session.down(details) : session.up(details);
  }
}

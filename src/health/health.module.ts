import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AuthModule } from '../auth/auth.module';
import { SharedStoreHealthIndicator } from '../store/shared-store.health';
import { HealthController } from './health.controller';
import { IntrospectionHealthIndicator } from './introspection.health';
import { SigningKeysHealthIndicator } from './signing-keys.health';

@Module({
  // Terminus's own "health check failed" log is off: the key store already logs why keys are missing,
  // and a probe every few seconds would repeat it.
  imports: [AuthModule, TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [SigningKeysHealthIndicator, SharedStoreHealthIndicator, IntrospectionHealthIndicator],
})
export class HealthModule {}

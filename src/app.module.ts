import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { DestinationStream } from 'pino';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/app-config';
import { appConfigFactory } from './config/app-config.provider';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MessagesModule } from './messages/messages.module';
import { MetricsModule } from './metrics/metrics.module';
import { StoreModule } from './store/store.module';

export interface AppModuleOptions {
  /** Where log lines go instead of stdout; for tests that read them back. */
  readonly logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  /** `config` comes from loadAppConfig(process.env): the environment and client_secrets.json. */
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // No .env file is read: settings come from the environment and client_secrets.json only.
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfigFactory(config)] }),
        LoggingModule.forRoot(config.logging, options.logDestination),
        StoreModule,
        AuthModule,
        MessagesModule,
        HealthModule,
        MetricsModule.forRoot(config.metrics),
      ],
    };
  }
}

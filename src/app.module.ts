import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/app-config';
import { appConfigFactory } from './config/app.config';
import { HealthModule } from './health/health.module';
import { MessagesModule } from './messages/messages.module';

@Module({})
export class AppModule {
  /** `config` comes from loadAppConfig(process.env): the environment and client_secrets.json. */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // No .env file is read: settings come from the environment and client_secrets.json only.
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfigFactory(config)] }),
        AuthModule,
        MessagesModule,
        HealthModule,
      ],
    };
  }
}

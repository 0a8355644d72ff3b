import { Inject } from '@nestjs/common';
import { getConfigToken, registerAs } from '@nestjs/config';
import { AppConfig } from './app-config';

const NAMESPACE = 'app';

/**
 * Registers the already-validated settings with ConfigModule. Validation happens before Nest
 * starts (see main.ts), so a bad setting stops the process with one line and no stack trace.
 */
export const appConfigFactory = (config: AppConfig) => registerAs(NAMESPACE, () => config);

/** Injects the typed settings: `constructor(@InjectAppConfig() config: AppConfig)`. */
export const InjectAppConfig = () => Inject(getConfigToken(NAMESPACE));
export const APP_CONFIG_TOKEN = getConfigToken(NAMESPACE);

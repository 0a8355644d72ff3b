import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'auth:isPublic';

/** Opts a route (or a controller) out of the global bearer-token guard. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

import { Controller, Get } from '@nestjs/common';
import { Public } from '../auth/decorators/public.decorator';

/** Liveness: answers while the process can serve HTTP, whatever the issuer's state. */
@Controller('health')
export class HealthController {
  @Public()
  @Get()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}

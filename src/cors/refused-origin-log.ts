import { Logger } from '@nestjs/common';

/** Distinct refused origins remembered, each cut to MAX_ORIGIN_LENGTH: about 40 KB at most. */
const MAX_REMEMBERED = 100;
const MAX_ORIGIN_LENGTH = 200;

/**
 * Says once per origin, at warn, that a browser app's origin was refused and which setting lets it
 * in. Without it a newcomer's SPA on another port (Vite's 5173) just "cannot reach the server"
 * while the log shows an ordinary OPTIONS 204. Any client can send any Origin, so the origins
 * remembered, and the lines written, are bounded: past MAX_REMEMBERED, one last line says so.
 */
export class RefusedOriginLog {
  private readonly logger = new Logger('Cors');
  private readonly seen = new Set<string>();
  private full = false;

  constructor(private readonly allowed: readonly string[]) {}

  note(origin: string): void {
    const shown = origin.length > MAX_ORIGIN_LENGTH ? `${origin.slice(0, MAX_ORIGIN_LENGTH)}…` : origin;
    if (this.full || this.seen.has(shown)) return;
    if (this.seen.size >= MAX_REMEMBERED) {
      this.full = true;
      this.logger.warn({
        msg: `more than ${MAX_REMEMBERED} distinct CORS origins refused; further ones are not logged`,
        setting: 'CORS_ORIGINS',
      });
      return;
    }
    this.seen.add(shown);
    this.logger.warn({
      msg:
        `refused CORS origin ${shown}: it is not in CORS_ORIGINS (${this.allowed.join(', ')}); ` +
        'add it there to let a browser app served from it call this API',
      origin: shown,
      setting: 'CORS_ORIGINS',
    });
  }
}

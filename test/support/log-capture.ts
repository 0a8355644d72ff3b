import { DestinationStream } from 'pino';

export type LogLine = Record<string, unknown>;

/** A pino destination that keeps every line, raw and parsed, for assertions. */
export class LogCapture implements DestinationStream {
  readonly raw: string[] = [];
  readonly lines: LogLine[] = [];

  write(chunk: string): void {
    this.raw.push(chunk);
    this.lines.push(JSON.parse(chunk) as LogLine);
  }

  /** Log lines about the request with this id (its request line and any refusal line). */
  forRequest(reqId: string): LogLine[] {
    return this.lines.filter((line) => line.reqId === reqId);
  }

  requestLine(reqId: string): LogLine | undefined {
    return this.forRequest(reqId).find((line) => line.msg === 'request completed');
  }

  refusalLine(reqId: string): LogLine | undefined {
    return this.forRequest(reqId).find((line) => line.msg === 'access refused');
  }

  text(): string {
    return this.raw.join('');
  }
}

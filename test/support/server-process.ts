import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export type LogLine = Record<string, unknown>;

const ROOT = join(__dirname, '..', '..');

/**
 * The real server (src/main.ts) in a child process, for what only a process can show: signals,
 * exit codes, and the log lines that reach stdout before it exits. Logs are JSON (NODE_ENV=production).
 */
export class ServerProcess {
  readonly lines: LogLine[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  url = '';
  private stdoutBuffer = '';
  stderr = '';

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.onStdout(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(env: Record<string, string>): Promise<ServerProcess> {
    const server = ServerProcess.spawn(env);
    const listening = await Promise.race([
      server.waitFor((line) => line.msg === 'resource server listening', 20_000),
      server.exited.then(() => undefined),
    ]);
    if (!listening) throw new Error(`server exited before listening: ${server.stderr}`);
    server.url = listening.url as string;
    return server;
  }

  /** Starts the process without waiting for it to listen (for start-up failures). */
  static spawn(env: Record<string, string>): ServerProcess {
    const child = spawn(process.execPath, ['-r', 'ts-node/register', join(ROOT, 'src', 'main.ts')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        TS_NODE_TRANSPILE_ONLY: '1',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        OKTA_CLIENT_SECRETS: 'test/fixtures/client_secrets.empty.json',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServerProcess(child);
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** Resolves with the first log line (already seen or still to come) that matches. */
  async waitFor(match: (line: LogLine) => boolean, timeoutMs = 10_000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching log line within ${timeoutMs} ms; stderr: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private onStdout(chunk: string): void {
    this.stdoutBuffer += chunk;
    let newline: number;
    while ((newline = this.stdoutBuffer.indexOf('\n')) !== -1) {
      const text = this.stdoutBuffer.slice(0, newline);
      this.stdoutBuffer = this.stdoutBuffer.slice(newline + 1);
      try {
        this.lines.push(JSON.parse(text) as LogLine);
      } catch {
        this.lines.push({ unparsed: text });
      }
    }
  }
}

import { ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs src/main.ts as its own process (ts-node, transpile only) in `cwd`, with only the given
 * settings in its environment: nothing leaks in from the developer's shell.
 */
export function startServer(env: Record<string, string>, cwd: string): ServerProcess {
  const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register'), join(ROOT, 'src/main.ts')], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      TS_NODE_TRANSPILE_ONLY: 'true',
      TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
      NO_COLOR: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new ServerProcess(child);
}

export class ServerProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exited>;

  constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) =>
        // Let the pipes drain before reporting.
        setImmediate(() => resolve({ code, signal, stdout: this.stdout, stderr: this.stderr })),
      ),
    );
  }

  /** Resolves with the exit, or kills the process (by its own pid) after `ms`. */
  async exit(ms = 15_000): Promise<Exited> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), ms);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The URL the server printed once it listens; rejects if it exits or stays silent for `ms`. */
  async listeningUrl(ms = 15_000): Promise<string> {
    const started = Date.now();
    while (Date.now() - started < ms) {
      const match = /listening on (http:\/\/[^\s"]+)/.exec(this.stdout);
      if (match) return match[1];
      if (this.child.exitCode !== null) throw new Error(`server exited ${this.child.exitCode}: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`server did not listen within ${ms} ms: ${this.stdout}${this.stderr}`);
  }

  /** Sends a signal to the server process (by its own pid). */
  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  async stop(): Promise<Exited> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exit(5_000);
  }
}

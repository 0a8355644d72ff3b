import { ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** The built server (test/support/build-dist.ts builds it before the e2e run). */
export const DIST_MAIN = join(ROOT, 'dist/main.js');

/**
 * Longest a child may take to exit or to start listening before the test gives up on it. Not a
 * promise of the product: only a guard against a hung child, far above any start-up seen under load.
 */
const HANG_GUARD_MS = 45_000;

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface StartOptions {
  /** Command and arguments; `node dist/main.js` unless given. */
  command?: readonly [string, ...string[]];
  /** Leave stdout unread after the listening line, as a stalled log collector would. */
  stopReadingStdout?: boolean;
}



/**
 * Runs the built server (dist/main.js) as its own process in `cwd`, with only the given settings in
 * its environment: nothing leaks in from the developer's shell.
 */
export function startServer(env: Record<string, string>, cwd: string, options: StartOptions = {}): ServerProcess {
  const [command, ...args] = options.command ?? [process.execPath, DIST_MAIN];
  // A command of the test's choosing (a shell that might not exec, say) leads its own process
  // group, so the hang guard can end all it started by the group's id. node itself stays in the
  // test's group, so a Ctrl-C of the test run reaches it.
  const ownGroup = options.command !== undefined && process.platform !== 'win32';
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: ownGroup,
  });
  return new ServerProcess(child, options.stopReadingStdout ?? false, ownGroup);
}

export class ServerProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exited>;
  private readonly listening: Promise<string>;
  private stdoutPaused = false;

  constructor(
    private readonly child: ChildProcess,
    stopReadingStdout: boolean,
    private readonly ownGroup = false,
  ) {
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal, stdout: this.stdout, stderr: this.stderr })),
    );
    this.listening = new Promise((resolve, reject) => {
      const onData = (d: Buffer) => {
        this.stdout += d.toString();
        const match = /listening on (http:\/\/[^\s"]+)/.exec(this.stdout);
        if (!match) return;
        if (stopReadingStdout) {
          child.stdout!.off('data', onData);
          child.stdout!.pause();
          this.stdoutPaused = true;
        }
        resolve(match[1]);
      };
      child.stdout!.on('data', onData);
      void this.exited.then(({ code, signal }) =>
        reject(new Error(`server exited (${code ?? signal}) before listening: ${this.stdout}${this.stderr}`)),
      );
    });
    // A test that never asks for the URL must not see an unhandled rejection when the child exits.
    this.listening.catch(() => undefined);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Reads stdout again after `stopReadingStdout`, keeping what arrives. */
  resumeReadingStdout(): void {
    if (!this.stdoutPaused) return;
    this.stdoutPaused = false;
    this.child.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.child.stdout!.resume();
  }

  /** Resolves with the exit (once its output is drained: resume a paused stdout first), or kills the process (by its own pid) after a hang guard. */
  async exit(ms = HANG_GUARD_MS): Promise<Exited> {
    const timer = setTimeout(() => this.killGroup(), ms);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The URL the server printed once it listens; rejects if it exits first. */
  async listeningUrl(ms = HANG_GUARD_MS): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`server did not listen within ${ms} ms: ${this.stdout}${this.stderr}`)), ms);
    });
    try {
      return await Promise.race([this.listening, guard]);
    } finally {
      clearTimeout(timer);
    }
  }

  private killGroup(): void {
    try {
      if (this.ownGroup) process.kill(-this.child.pid!, 'SIGKILL');
      else this.child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }

  /** Sends a signal to the server process (by its own pid). */
  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  async stop(): Promise<Exited> {
    this.resumeReadingStdout();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exit();
  }
}

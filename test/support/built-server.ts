import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const MAIN = join(ROOT, 'dist/main.js');

/**
 * The path of dist/main.js, which the e2e run's globalSetup (test/support/build-dist.ts) builds once
 * from the sources as they are. Never rebuilt here: a second build mid-run would replace dist/ under
 * the processes other tests are running from.
 */
export function builtMain(): string {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run the e2e tests through jest --config test/jest-e2e.json, which builds it`);
  return MAIN;
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * `node dist/main.js` in `cwd` with only the given settings in its environment (nothing from the
 * developer's shell). Output is kept for assertions; `stop()` ends it by its own pid.
 */
export class BuiltServer {
  stdout = '';
  stderr = '';
  private readonly child: ChildProcess;
  readonly finished: Promise<Finished>;

  constructor(env: Record<string, string>, cwd: string) {
    this.child = spawn(process.execPath, [builtMain()], {
      cwd,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.finished = new Promise((done) =>
      this.child.on('close', (code, signal) => done({ code, signal, stdout: this.stdout, stderr: this.stderr })),
    );
  }

  /** Resolves once stdout contains `text`; rejects if the process ends first. */
  waitFor(text: string): Promise<void> {
    return new Promise((resolvePromise, reject) => {
      const check = () => {
        if (!this.stdout.includes(text)) return;
        this.child.stdout!.off('data', check);
        resolvePromise();
      };
      this.child.stdout!.on('data', check);
      check();
      void this.finished.then(() => reject(new Error(`exited before printing "${text}":\n${this.stdout}${this.stderr}`)));
    });
  }

  async stop(): Promise<Finished> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.finished;
  }
}

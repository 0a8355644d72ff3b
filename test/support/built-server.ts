import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const MAIN = join(ROOT, 'dist/main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The path of dist/main.js, built from the sources as they are: `nest build` runs when it is
 * missing or older than any file under src/. A process test then runs what `npm run start:prod` runs.
 */
export function builtMain(): string {
  if (!existsSync(MAIN) || statSync(MAIN).mtimeMs < newestMtime(join(ROOT, 'src'))) {
    execFileSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build'], { cwd: ROOT, stdio: 'ignore' });
  }
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

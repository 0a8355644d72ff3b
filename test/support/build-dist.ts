import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/**
 * Jest globalSetup of the e2e run: builds dist/ once, so tests that start the server as a process
 * run what `npm run start:prod` runs, without compiling TypeScript in every child (under load,
 * ts-node start-ups were what timed out).
 */
export default function buildDist(): void {
  execFileSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build'], { cwd: ROOT, stdio: 'inherit' });
}

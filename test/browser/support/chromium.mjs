import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** Debian's Chromium; playwright-core never downloads a browser of its own. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Exits with one line a person can act on, instead of a stack from deep inside playwright. */
export function requireChromium() {
  if (!existsSync(CHROMIUM_PATH)) {
    console.error(`browser test: no Chromium at ${CHROMIUM_PATH}; install it with: apt-get install -y chromium`);
    process.exit(1);
  }
}

export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // --no-sandbox: CI runs as root in a container; the rest keep Chromium from calling home.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    timeout: 60_000,
  });
}

/** Only this machine's loopback may be reached from the page; anything else is aborted. */
export async function keepTrafficLocal(context) {
  await context.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    return hostname === 'localhost' || hostname === '127.0.0.1' ? route.continue() : route.abort('blockedbyclient');
  });
}

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { demoStack } from '../../scripts/demo-stack.mjs';
import { requireChromium, launchChromium, keepTrafficLocal } from './support/chromium.mjs';
import { startNodeProcess } from './support/child-process.mjs';
import { freePort } from './support/free-port.mjs';

requireChromium();

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'test-artifacts');
// Generous on purpose: a step fails on a wrong page, not on a busy machine (Chromium is slow on
// two shared cores). Each is a guard against a hang, not a promise of speed.
const STEP_TIMEOUT_MS = 120_000;
const ACTION_TIMEOUT_MS = 30_000;

describe('demo SPA in Chromium against the dev issuer and the resource server', { timeout: 10 * 60_000 }, () => {
  let stack;
  let keysDir;
  const processes = new Map();
  let browser;
  let page;
  /** Every answer the SPA got from GET /api/messages (not the sensitive route): status and challenge. */
  const messagesAnswers = [];

  before(async () => {
    keysDir = mkdtempSync(join(tmpdir(), 'dev-issuer-keys-'));
    const env = { ...process.env, NODE_ENV: 'development', DEV_ISSUER_KEYS_FILE: join(keysDir, 'keys.json') };
    stack = demoStack({ issuerPort: await freePort(), apiPort: await freePort(), spaPort: await freePort(), env });
    for (const spec of stack.processes) {
      processes.set(spec.name, await startNodeProcess({ ...spec, cwd: ROOT }));
    }
    browser = await launchChromium();
    const context = await browser.newContext();
    await keepTrafficLocal(context);
    page = await context.newPage();
    page.setDefaultTimeout(ACTION_TIMEOUT_MS);
    page.on('response', (response) => {
      if (response.url() === `${stack.apiUrl}/api/messages` && response.request().method() === 'GET') {
        messagesAnswers.push({ status: response.status(), challenge: response.headers()['www-authenticate'] });
      }
    });
  });

  after(async () => {
    await browser?.close();
    for (const process of processes.values()) await process.stop();
    if (keysDir) rmSync(keysDir, { recursive: true, force: true });
  });

  /** Each step screenshots the page into test-artifacts/ when it fails, and shows the servers' logs. */
  function step(name, fn) {
    test(name, { timeout: STEP_TIMEOUT_MS }, async () => {
      try {
        await fn();
      } catch (err) {
        mkdirSync(ARTIFACTS, { recursive: true });
        const file = join(ARTIFACTS, `${name.replace(/\W+/g, '-')}.png`);
        await page?.screenshot({ path: file, fullPage: true }).catch(() => undefined);
        const logs = [...processes.values()].map((p) => `--- ${p.name} ---\n${p.output()}`).join('\n');
        err.message += `\nscreenshot: ${file}\npage: ${page?.url()}\n${logs}`;
        throw err;
      }
    });
  }

  async function openSignInPage() {
    await page.goto(stack.spaUrl);
    await page.locator('#sign-in').click();
    await page.locator('input[name=password]').waitFor();
    assert.ok(page.url().startsWith(new URL(stack.issuer).origin), `expected the issuer's login page, got ${page.url()}`);
  }

  async function submitCredentials(password) {
    await page.locator('input[name=username]').fill(stack.username);
    await page.locator('input[name=password]').fill(password);
    await page.locator('button[type=submit]').click();
  }

  const storedTokens = () => page.evaluate(() => JSON.parse(localStorage.getItem('okta-token-storage') ?? '{}'));

  async function expectSignedInWithMessages() {
    await page.locator('#messages tbody tr').nth(1).waitFor();
    const rows = await page.locator('#messages tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
    assert.deepEqual(rows.map(([, text]) => text), ['I am a robot.', 'Hello, world!']);
    for (const [date] of rows) {
      assert.ok(!Number.isNaN(Date.parse(date)) && !date.includes('1970'), `not a real date: ${date}`);
    }
    assert.match(await page.locator('#user').textContent(), /Signed in as Demo User \(demo@example\.com\)/);
    assert.equal(await page.locator('#error').isHidden(), true);
  }

  step('a wrong password does not get in', async () => {
    await openSignInPage();
    await submitCredentials('not-the-password');
    await page.locator('.error').waitFor();
    assert.match(await page.locator('.error').textContent(), /Wrong username or password/);
    assert.ok(await page.locator('input[name=password]').isVisible(), 'the login page is shown again');
    await page.goto(stack.spaUrl);
    await page.locator('#sign-in').waitFor();
    assert.deepEqual(await storedTokens(), {});
  });

  step('signing in shows both messages from the resource server and who is signed in', async () => {
    await openSignInPage();
    await submitCredentials(stack.password);
    await page.waitForURL(`${stack.spaUrl}/`);
    await expectSignedInWithMessages();
  });

  step('a reload stays signed in', async () => {
    await page.reload();
    await expectSignedInWithMessages();
  });

  step('the sensitive action is refused with the step-up challenge, and succeeds after the second step', async () => {
    const sensitiveUrl = `${stack.apiUrl}/api/messages/sensitive`;
    const refusal = page.waitForResponse((r) => r.url() === sensitiveUrl && r.request().method() === 'GET');
    const authorize = page.waitForRequest((r) => r.url().startsWith(`${stack.issuer}/v1/authorize`));
    await page.locator('#sensitive-action').click();

    // Signed in with a password only: 401 naming what to ask for (RFC 9470 §3).
    const refused = await refusal;
    assert.equal(refused.status(), 401);
    const challenge = refused.headers()['www-authenticate'];
    assert.match(challenge, /^Bearer realm="api:\/\/default", error="insufficient_user_authentication", error_description="[^"]+", acr_values="urn:okta:loa:2fa:any", resource_metadata="[^"]+"$/);

    // The SPA read it with okta-auth-js's parser and signs in again with acrValues = the first value.
    const params = new URL((await authorize).url()).searchParams;
    assert.equal(params.get('acr_values'), 'urn:okta:loa:2fa:any');
    assert.equal(params.get('max_age'), null, 'the sign-in was recent: the challenge had no max_age');

    // Still signed in at the issuer: only the second step is asked, its code shown on the page.
    await page.locator('input[name=code]').waitFor();
    assert.equal(await page.locator('input[name=password]').count(), 0);
    await page.locator('input[name=code]').fill(await page.locator('#one-time-code').textContent());
    const retried = page.waitForResponse((r) => r.url() === sensitiveUrl && r.request().method() === 'GET');
    await page.locator('button[type=submit]').click();

    await page.waitForURL(`${stack.spaUrl}/`);
    assert.equal((await retried).status(), 200, 'the retry with the new token is let through');
    await page.locator('#sensitive-result').waitFor();
    assert.match(await page.locator('#sensitive-result').textContent(), /second factor.*urn:okta:loa:2fa:any/);
    const { idToken, accessToken } = await storedTokens();
    assert.equal(idToken.claims.acr, 'urn:okta:loa:2fa:any');
    const accessClaims = JSON.parse(Buffer.from(accessToken.accessToken.split('.')[1], 'base64url').toString('utf8'));
    assert.equal(accessClaims.acr, 'urn:okta:loa:2fa:any');
    await expectSignedInWithMessages();
  });

  step('the ordinary messages never asked for a stronger sign-in', async () => {
    assert.ok(messagesAnswers.length >= 3, `expected several calls to /api/messages, saw ${messagesAnswers.length}`);
    assert.deepEqual(messagesAnswers.filter((a) => a.status !== 200), []);
  });

  step('signing out clears the tokens, revokes the refresh token and ends the issuer session', async () => {
    const { refreshToken } = await storedTokens();
    assert.ok(refreshToken?.refreshToken, 'the SPA holds a refresh token before sign-out');
    await page.locator('#sign-out').click();
    await page.waitForURL(`${stack.spaUrl}/`);
    await page.locator('#sign-in').waitFor();
    assert.equal(await page.locator('#messages').isHidden(), true, 'messages must disappear on sign-out');
    assert.equal(await page.locator('#user').isHidden(), true);
    assert.deepEqual(await storedTokens(), {});

    const refresh = await fetch(`${stack.issuer}/v1/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: stack.clientId, refresh_token: refreshToken.refreshToken }),
    });
    assert.equal(refresh.status, 400, 'a revoked refresh token must not be usable');
    assert.equal((await refresh.json()).error, 'invalid_grant');

    // The issuer session is gone too: signing in again asks for the password.
    await openSignInPage();
  });

  step("signing out as Okta's Vue and Angular samples do (post_logout_redirect_uri without a slash) ends the issuer session", async () => {
    await submitCredentials(stack.password);
    await page.waitForURL(`${stack.spaUrl}/`);
    await expectSignedInWithMessages();

    const visited = [];
    const onNavigation = (frame) => frame === page.mainFrame() && visited.push(frame.url());
    page.on('framenavigated', onNavigation);
    try {
      // okta-auth-js signOut() with the bare origin: what Vue's sample passes and Angular's gets by default
      // (window.location.origin). Not awaited: it ends by navigating away from this page.
      await page.evaluate((origin) => {
        void oktaAuth.signOut({ postLogoutRedirectUri: origin }); // eslint-disable-line no-undef
      }, stack.spaUrl);
      await page.locator('#sign-in').waitFor();
    } finally {
      page.off('framenavigated', onNavigation);
    }
    assert.ok(visited.some((url) => url.startsWith(`${stack.issuer}/v1/logout`)), `expected the issuer's logout, saw ${visited.join(', ')}`);
    assert.equal(page.url(), `${stack.spaUrl}/`);
    assert.equal(await page.locator('#messages').isHidden(), true);

    // The issuer session is gone: signing in again asks for the password.
    await openSignInPage();
  });

  step('with the resource server stopped the SPA shows its error box', async () => {
    await submitCredentials(stack.password);
    await page.waitForURL(`${stack.spaUrl}/`);
    await expectSignedInWithMessages();

    await processes.get('api').stop();
    await page.reload();
    await page.locator('#error').waitFor();
    assert.match(await page.locator('#error').textContent(), /Could not load messages: cannot reach .*\/api\/messages/);
    assert.equal(await page.locator('#messages').isHidden(), true);
  });
});

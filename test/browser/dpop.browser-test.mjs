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
const STEP_TIMEOUT_MS = 120_000;
const ACTION_TIMEOUT_MS = 30_000;

/**
 * The demo with DEV_DPOP=true: okta-auth-js `dpop: true` in Chromium, the dev issuer binding tokens
 * to the browser's key, this resource server checking proofs. Once with server nonces off, once on
 * (DEV_DPOP_NONCE=true: the issuer's token endpoint and the resource server both ask for one).
 */
for (const nonces of [false, true]) {
  describe(`demo SPA with DPoP, server nonces ${nonces ? 'on' : 'off'}`, { timeout: 10 * 60_000 }, () => {
    let stack;
    let keysDir;
    const processes = new Map();
    let browser;
    let page;
    /** What the page sent to /api/messages and got back, in order. */
    const apiCalls = [];
    /** Resolvers waiting for the next recorded API call (recording ends after awaits, so it may trail the page). */
    const callWaiters = [];
    /** Resolves once a call recorded after the first `from` satisfies `predicate`: waits on the recording, not on time. */
    const recordedCall = async (from, predicate) => {
      for (;;) {
        const found = apiCalls.slice(from).find(predicate);
        if (found) return found;
        await new Promise((resolve) => callWaiters.push(resolve));
      }
    };
    /** The token endpoint's answers, in order. */
    const tokenAnswers = [];

    before(async () => {
      keysDir = mkdtempSync(join(tmpdir(), 'dev-issuer-keys-'));
      const env = {
        ...process.env,
        NODE_ENV: 'development',
        DEV_ISSUER_KEYS_FILE: join(keysDir, 'keys.json'),
        DEV_DPOP: 'true',
        DEV_DPOP_NONCE: String(nonces),
      };
      stack = demoStack({ issuerPort: await freePort(), apiPort: await freePort(), spaPort: await freePort(), env });
      for (const spec of stack.processes) processes.set(spec.name, await startNodeProcess({ ...spec, cwd: ROOT }));
      browser = await launchChromium();
      const context = await browser.newContext();
      await keepTrafficLocal(context);
      page = await context.newPage();
      page.setDefaultTimeout(ACTION_TIMEOUT_MS);
      page.on('response', async (response) => {
        const request = response.request();
        const url = new URL(response.url());
        if (request.method() === 'OPTIONS') return;
        if (url.href === `${stack.apiUrl}/api/messages`) {
          apiCalls.push({ request: await request.allHeaders(), status: response.status(), headers: await response.allHeaders() });
          for (const resolve of callWaiters.splice(0)) resolve();
        }
        if (url.href === `${stack.issuer}/v1/token`) {
          tokenAnswers.push({ status: response.status(), headers: await response.allHeaders(), body: await response.json().catch(() => undefined) });
        }
      });
    });

    after(async () => {
      await browser?.close();
      for (const process of processes.values()) await process.stop();
      if (keysDir) rmSync(keysDir, { recursive: true, force: true });
    });

    function step(name, fn) {
      test(name, { timeout: STEP_TIMEOUT_MS }, async () => {
        try {
          await fn();
        } catch (err) {
          mkdirSync(ARTIFACTS, { recursive: true });
          const file = join(ARTIFACTS, `dpop-nonces-${nonces ? 'on' : 'off'}-${name.replace(/\W+/g, '-')}.png`);
          await page?.screenshot({ path: file, fullPage: true }).catch(() => undefined);
          const logs = [...processes.values()].map((p) => `--- ${p.name} ---\n${p.output()}`).join('\n');
          err.message += `\nscreenshot: ${file}\npage: ${page?.url()}\n${logs}`;
          throw err;
        }
      });
    }

    const storedAccessToken = async () =>
      (await page.evaluate(() => JSON.parse(localStorage.getItem('okta-token-storage') ?? '{}'))).accessToken?.accessToken;
    const callApi = (headers) => fetch(`${stack.apiUrl}/api/messages`, { headers });

    step('signed in with DPoP, the page shows both messages and says the token is DPoP-bound', async () => {
      await page.goto(stack.spaUrl);
      await page.locator('#sign-in').click();
      await page.locator('input[name=password]').waitFor();
      await page.locator('input[name=username]').fill(stack.username);
      await page.locator('input[name=password]').fill(stack.password);
      await page.locator('button[type=submit]').click();
      await page.waitForURL(`${stack.spaUrl}/`);
      await page.locator('#messages tbody tr').nth(1).waitFor();
      const texts = await page.locator('#messages tbody tr td:nth-child(2)').allTextContents();
      assert.deepEqual(texts, ['I am a robot.', 'Hello, world!']);
      assert.match(await page.locator('#user').textContent(), /Signed in as Demo User \(demo@example\.com\)/, 'getUser() worked over DPoP');
      assert.match(await page.locator('#binding').textContent(), /^Access token: DPoP-bound \(token_type DPoP, cnf\.jkt [\w-]{43}\)$/);
      assert.equal(await page.locator('#error').isHidden(), true);

      const last = apiCalls.at(-1);
      assert.equal(last.status, 200);
      assert.match(last.request.authorization, /^DPoP /);
      assert.ok(last.request.dpop, 'the SPA sent a DPoP proof');
    });

    step(nonces ? 'nonces: the token endpoint and the API each asked once and the SDK or the SPA retried' : 'no nonces: no retry anywhere', async () => {
      if (!nonces) {
        assert.ok(apiCalls.every((call) => call.status === 200), `API answers: ${apiCalls.map((c) => c.status)}`);
        assert.ok(tokenAnswers.every((answer) => answer.status === 200), `token answers: ${tokenAnswers.map((a) => a.status)}`);
        return;
      }
      const [firstToken, secondToken] = tokenAnswers;
      assert.equal(firstToken.status, 400);
      assert.equal(firstToken.body.error, 'use_dpop_nonce');
      assert.equal(typeof firstToken.body.error_description, 'string');
      assert.ok(firstToken.headers['dpop-nonce'], 'DPoP-Nonce on the token endpoint 400');
      assert.ok(!/dpop/i.test(firstToken.headers['www-authenticate'] ?? ''), 'no WWW-Authenticate: DPoP on the token endpoint 400');
      assert.equal(secondToken.status, 200);

      const [firstCall, retry] = apiCalls;
      assert.equal(firstCall.status, 401);
      assert.match(firstCall.headers['www-authenticate'], /^DPoP algs="[^"]+", error="use_dpop_nonce"/);
      assert.ok(firstCall.headers['dpop-nonce']);
      assert.equal(retry.status, 200);
    });

    step('the same access token taken from the browser storage and sent as Bearer is refused', async () => {
      const token = await storedAccessToken();
      assert.ok(token);
      const response = await callApi({ Authorization: `Bearer ${token}` });
      assert.equal(response.status, 401);
      assert.match(response.headers.get('www-authenticate'), /error="invalid_token", error_description="the access token is bound to a key cnf/);
    });

    step('a captured proof sent again is refused', async () => {
      const captured = apiCalls.findLast((call) => call.status === 200).request;
      const response = await callApi({ Authorization: captured.authorization, DPoP: captured.dpop });
      assert.equal(response.status, 401);
      assert.match(response.headers.get('www-authenticate'), /error="invalid_dpop_proof", error_description="the DPoP proof was used before"/);
    });

    step('a reload stays signed in and fetches again with a fresh proof', async () => {
      const before = apiCalls.length;
      await page.reload();
      await page.locator('#messages tbody tr').nth(1).waitFor();
      const fetched = await recordedCall(before, (call) => call.status === 200);
      assert.notEqual(fetched.request.dpop, apiCalls[before - 1].request.dpop);
    });
  });
}

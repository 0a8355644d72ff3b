import { createHash, randomBytes } from 'node:crypto';

const MAX_REDIRECTS = 10;

/**
 * Signs the demo user in through the issuer's real authorization-code + PKCE flow, form post and
 * all, without a browser; returns the token response. The tokens are the ones the SPA would get,
 * so a resource server configured for the SPA's client id accepts them.
 */
export async function signInHeadless({ issuer, clientId, redirectUri, username, password, scope = 'openid profile email offline_access', acrValues, maxAge }) {
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(`${issuer}/v1/authorize`);
  authorize.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    scope,
    redirect_uri: redirectUri,
    state: randomBytes(8).toString('base64url'),
    nonce: randomBytes(8).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    // Step-up: okta-auth-js's acrValues and maxAge options, as it sends them.
    ...(acrValues !== undefined && { acr_values: acrValues }),
    ...(maxAge !== undefined && { max_age: String(maxAge) }),
  }).toString();

  const jar = new Map();
  let response = await send(jar, authorize);
  for (let hops = 0; hops < MAX_REDIRECTS; hops++) {
    const location = response.headers.get('location');
    if (location === null) {
      const page = await response.text();
      // The second step (acr_values=urn:okta:loa:2fa:any): the dev issuer shows the one-time code on its page.
      const code = response.status === 200 ? /id="one-time-code">(\d{6})</.exec(page)?.[1] : undefined;
      const form = /action="(\/interaction\/[\w-]+\/otp)"/.exec(page)?.[1];
      if (code && form) {
        response = await send(jar, new URL(form, issuer), new URLSearchParams({ code }));
        continue;
      }
      throw new Error(`sign-in stopped at ${response.url || 'a page'} with HTTP ${response.status}: ${page.slice(0, 200)}`);
    }
    const next = new URL(location, issuer);
    if (next.href.startsWith(redirectUri)) return exchangeCode({ issuer, clientId, redirectUri, verifier, callback: next });
    response = /\/interaction\/[\w-]+$/.test(next.pathname) && (await isLoginPage(jar, next))
      ? await send(jar, new URL(`${next.pathname}/login`, next), new URLSearchParams({ username, password }))
      : await send(jar, next);
  }
  throw new Error('sign-in did not finish within 10 redirects');
}

async function isLoginPage(jar, url) {
  const page = await send(jar, url);
  return page.status === 200 && (await page.text()).includes('name="password"');
}

async function exchangeCode({ issuer, clientId, redirectUri, verifier, callback }) {
  const error = callback.searchParams.get('error');
  if (error) throw new Error(`authorization failed: ${error} ${callback.searchParams.get('error_description') ?? ''}`);
  const response = await fetch(`${issuer}/v1/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: clientId,
      redirect_uri: redirectUri,
      code: callback.searchParams.get('code') ?? '',
      code_verifier: verifier,
    }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`token request failed: ${body.error} ${body.error_description ?? ''}`);
  return body;
}

async function send(jar, url, form) {
  const response = await fetch(url, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form,
  });
  for (const cookie of response.headers.getSetCookie()) {
    const [pair] = cookie.split(';');
    const at = pair.indexOf('=');
    jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return response;
}

import { DevIssuerProcess } from './support/dev-issuer-process';

const CLIENT_ID = '0oa-local-spa';
const SPA_ORIGIN = 'http://localhost:8080';

/** The cookies a response sets, as one Cookie header value. */
function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2) as a browser does it: GET the end-session
 * endpoint, submit the form the issuer renders (it auto-submits in a browser), follow nothing.
 */
async function logOut(issuer: string, postLogoutRedirectUri: string): Promise<Response> {
  const endSession = new URL(`${issuer}/v1/logout`);
  endSession.search = new URLSearchParams({ client_id: CLIENT_ID, post_logout_redirect_uri: postLogoutRedirectUri }).toString();
  const page = await fetch(endSession, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) return new Response(html, { status: page.status });
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  const fields = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g)].map(([, name, value]): [string, string] => [name, value]);
  if (!action) throw new Error(`no logout form in: ${html.slice(0, 300)}`);
  return fetch(new URL(action, issuer), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(page) },
    body: new URLSearchParams(fields),
  });
}

describe('dev issuer: what browsers running Okta samples ask of it', () => {
  let issuer: DevIssuerProcess;

  beforeAll(async () => {
    issuer = await DevIssuerProcess.start();
  });
  afterAll(async () => {
    await issuer?.close();
  });

  // okta-auth-js signOut() defaults post_logout_redirect_uri to window.location.origin: Vue's and Angular's samples.
  it.each([SPA_ORIGIN, `${SPA_ORIGIN}/`])('signs out and redirects to post_logout_redirect_uri=%s', async (uri) => {
    const done = await logOut(issuer.issuer, uri);
    expect({ status: done.status, body: done.status === 303 ? '' : await done.text() }).toEqual({ status: 303, body: '' });
    // The issuer writes the URL out in full (`/` added), the same address to a browser.
    expect(new URL(done.headers.get('location') ?? '').href).toBe(new URL(uri).href);
  });

  it('still refuses a post_logout_redirect_uri that was not registered', async () => {
    const refused = await logOut(issuer.issuer, 'http://localhost:8081');
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('post_logout_redirect_uri not registered');
  });

  it('answers the icon request every page makes without a 404', async () => {
    const icon = await fetch(`${new URL(issuer.issuer).origin}/favicon.ico`);
    expect(icon.status).toBeGreaterThanOrEqual(200);
    expect(icon.status).toBeLessThan(300);
  });
});

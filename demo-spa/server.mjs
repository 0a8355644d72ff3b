import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { loadSpaSettings } from './settings.mjs';

const file = (relative) => fileURLToPath(new URL(relative, import.meta.url));

/** Both are the SPA's page: /login/callback is where the issuer sends the browser back with the code. */
const PAGE_ROUTES = new Set(['/', '/index.html', '/login/callback']);
const ASSETS = new Map([
  ['/app.js', { path: file('./public/app.js'), type: 'text/javascript' }],
  ['/api-fetch.js', { path: file('./public/api-fetch.js'), type: 'text/javascript' }],
  ['/style.css', { path: file('./public/style.css'), type: 'text/css' }],
  // Okta's own browser bundle, served as shipped: no build step between `npm ci` and the demo. The package's
  // `browser` build (UMD, minified): its global holds every export, OktaAuth and the WWWAuthError parser
  // the step-up flow uses; dist/okta-auth-js.min.js exports the OktaAuth class alone.
  ['/okta-auth-js.min.js', { path: file('../node_modules/@okta/okta-auth-js/umd/default.js'), type: 'text/javascript' }],
]);

/** Serves the demo SPA on 127.0.0.1; resolves once listening, with the URL to open. */
export async function startSpaServer(settings = loadSpaSettings()) {
  const config = `window.demoConfig = ${JSON.stringify(settings.client)};\n`;
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed');
    if (pathname === '/config.js') return send(res, 200, 'text/javascript', config);
    if (pathname === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
    const asset = PAGE_ROUTES.has(pathname) ? { path: file('./public/index.html'), type: 'text/html' } : ASSETS.get(pathname);
    if (!asset) return send(res, 404, 'text/plain', 'not found');
    try {
      send(res, 200, asset.type, await readFile(asset.path));
    } catch {
      send(res, 500, 'text/plain', `cannot read ${pathname}; did you run npm ci?`);
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, '127.0.0.1', resolve);
  });
  return {
    url: `http://localhost:${server.address().port}`,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function send(res, status, type, body) {
  res.writeHead(status, {
    'Content-Type': `${type}; charset=utf-8`,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

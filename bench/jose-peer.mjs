// The issue's "raw node:http + jose" reference: no framework, jose's remote JWKS and jwtVerify, the
// least a correct resource server can do per request. Ours must stay ahead of it with distinct tokens.
import { createServer } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const issuer = process.env.OKTA_ISSUER;
const audience = process.env.OKTA_AUDIENCE ?? 'api://default';
const metadata = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri));
const options = { issuer, audience, algorithms: ['RS256'] };

const json = (res, status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

createServer(async (req, res) => {
  if (req.url === '/api/health') return json(res, 200, { status: 'ok' });
  if (req.url !== '/api/messages') return json(res, 404, { message: 'Not Found' });
  const token = /^Bearer ([^\s]+)$/i.exec(req.headers.authorization ?? '')?.[1];
  try {
    await jwtVerify(token ?? '', jwks, options);
  } catch {
    return res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
  }
  const now = Date.now();
  json(res, 200, {
    messages: [
      { date: new Date(now).toISOString(), text: 'I am a robot.' },
      { date: new Date(now - 3_600_000).toISOString(), text: 'Hello, world!' },
    ],
  });
}).listen(Number(process.env.PORT ?? 8002), process.env.HOST ?? '127.0.0.1');

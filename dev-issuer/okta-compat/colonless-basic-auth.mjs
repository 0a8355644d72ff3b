/**
 * okta-auth-js `revokeToken()` authenticates a public client with `Authorization: Basic
 * base64(clientId)` (no colon, no secret); oidc-provider rejects that as a malformed header (RFC 7617
 * needs `id:secret`). On the endpoints that accept it, the header is turned into the `client_id`
 * form parameter a public client (token_endpoint_auth_method `none`) sends instead.
 */
export function colonlessBasicAuth(paths) {
  return async (ctx, next) => {
    const clientId = ctx.method === 'POST' && paths.includes(ctx.path) ? colonlessClientId(ctx.get('authorization')) : undefined;
    if (clientId !== undefined) {
      const prefix = Buffer.from(`client_id=${encodeURIComponent(clientId)}&`);
      delete ctx.req.headers.authorization;
      // The body is still unread: put the parameter in front of it and keep Content-Length honest.
      ctx.req.unshift(prefix);
      if (ctx.req.headers['content-length'] !== undefined) {
        ctx.req.headers['content-length'] = String(Number(ctx.req.headers['content-length']) + prefix.length);
      }
    }
    await next();
  };
}

function colonlessClientId(header) {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  return decoded && !decoded.includes(':') ? decoded : undefined;
}

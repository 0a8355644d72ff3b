import { readFileSync } from 'node:fs';
import { ConfigError } from './config.error';
import { InvalidConfigError } from './config-problems';

/** The part of Okta's `client_secrets.json` this server reads (see `client_secrets.json.dist`). */
export interface ClientSecrets {
  issuer?: string;
  clientId?: string;
  /** The file the values came from, so an error about one of them names the file and the field. */
  file?: string;
  /** Okta's Flask sample: the secret of the (web) client that introspects. */
  clientSecret?: string;
  /** Okta's Flask sample: where tokens are introspected (RFC 7662). */
  tokenIntrospectionUri?: string;
}

export const DEFAULT_CLIENT_SECRETS_PATH = './client_secrets.json';

/**
 * Reads `client_secrets.json`. The default file is optional (the environment may give every
 * value); a file named explicitly through OKTA_CLIENT_SECRETS must exist and parse.
 * Throws ConfigError (OKTA_CLIENT_SECRETS) when the file cannot be used at all, and
 * InvalidConfigError naming each field (`web.issuer in <file>`) whose value is not a string.
 */
export function readClientSecrets(path: string | undefined): ClientSecrets {
  const setting = 'OKTA_CLIENT_SECRETS';
  const explicit = path !== undefined && path !== '';
  const file = explicit ? path : DEFAULT_CLIENT_SECRETS_PATH;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (!explicit && (err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(setting, `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(setting, `${file} is not valid JSON`);
  }
  const web = (parsed as { web?: unknown } | null)?.web;
  if (typeof web !== 'object' || web === null) {
    throw new ConfigError(setting, `${file} has no "web" object (see client_secrets.json.dist)`);
  }
  const {
    issuer,
    client_id: clientId,
    client_secret: clientSecret,
    token_introspection_uri: tokenIntrospectionUri,
  } = web as Record<string, unknown>;
  const wrongTypes = (
    [
      ['issuer', issuer],
      ['client_id', clientId],
      ['client_secret', clientSecret],
      ['token_introspection_uri', tokenIntrospectionUri],
    ] as const
  )
    .filter(([, value]) => value !== undefined && typeof value !== 'string')
    .map(([key]) => new ConfigError(`web.${key} in ${file}`, 'must be a string'));
  if (wrongTypes.length > 0) throw new InvalidConfigError(wrongTypes);
  return {
    issuer: issuer as string | undefined,
    clientId: clientId as string | undefined,
    clientSecret: clientSecret as string | undefined,
    tokenIntrospectionUri: tokenIntrospectionUri as string | undefined,
    file,
  };
}

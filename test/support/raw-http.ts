import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  /** Header names lower-cased; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: unknown;
}

/**
 * Sends one GET with exactly the given header lines, written as latin-1 bytes, over a fresh TCP
 * connection. For requests an HTTP client library would normalise or refuse to send: a header
 * repeated, a tab or a non-ASCII byte in a value.
 */
export function rawGet(port: number, path: string, headerLines: readonly string[]): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      try {
        resolve(parse(Buffer.concat(chunks).toString('latin1')));
      } catch (err) {
        reject(err);
      }
    });
    const head = [`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headerLines].join('\r\n');
    // write, not end: a client that half-closes may see its response dropped; the server closes (Connection: close).
    socket.write(Buffer.from(`${head}\r\n\r\n`, 'latin1'));
  });
}

function parse(text: string): RawResponse {
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) throw new Error(`incomplete response: ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const raw = text.slice(split + 4);
  let body: unknown = raw;
  if (headers['content-type']?.startsWith('application/json')) body = JSON.parse(raw);
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

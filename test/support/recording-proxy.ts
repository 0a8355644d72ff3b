import { createServer, request as httpRequest, Server } from 'node:http';
import { AddressInfo, connect, Socket } from 'node:net';

/** One request that went through the proxy: a CONNECT tunnel or a forwarded absolute-form request. */
export interface ProxiedRequest {
  method: string;
  /** `host:port` for CONNECT, the absolute URL otherwise. */
  target: string;
}

/**
 * A real forward proxy on 127.0.0.1 for tests (node:http): tunnels CONNECT and forwards
 * absolute-form requests, the two ways an HTTP client uses a proxy, and records each.
 */
export class RecordingProxy {
  readonly requests: ProxiedRequest[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<RecordingProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new RecordingProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('connect', (req, client: Socket, head: Buffer) => proxy.tunnel(req.url ?? '', client, head));
    server.on('request', (req, res) => {
      proxy.requests.push({ method: req.method ?? '', target: req.url ?? '' });
      let target: URL;
      try {
        target = new URL(req.url ?? '');
      } catch {
        return void res.writeHead(400).end();
      }
      const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    return proxy;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private tunnel(target: string, client: Socket, head: Buffer): void {
    this.requests.push({ method: 'CONNECT', target });
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => (socket === client ? upstream : client).destroy());
    }
  }
}

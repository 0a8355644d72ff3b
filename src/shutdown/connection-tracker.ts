import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Knows which of a server's connections carry a request in flight, so that a shutdown can close
 * every other connection at once and each busy one as soon as its last response has gone out.
 *
 * Node's `closeIdleConnections()` is not enough: it leaves alone a connection that has sent nothing
 * yet (Node counts it as receiving its first request's headers), so one silent client would hold
 * the shutdown until `SHUTDOWN_TIMEOUT` and turn a clean stop into exit 1.
 */
export class ConnectionTracker {
  /** Every open connection, with its number of requests in flight (more than one only when pipelined). */
  private readonly inFlight = new Map<Socket, number>();
  private closing = false;

  constructor(server: Server) {
    server.on('connection', (socket: Socket) => {
      // Between the signal and Fastify closing its listener, a new connection is refused this way.
      if (this.closing) return void socket.destroy();
      this.inFlight.set(socket, 0);
      socket.once('close', () => this.inFlight.delete(socket));
    });
    server.on('request', (req, res) => {
      const socket = req.socket;
      this.inFlight.set(socket, (this.inFlight.get(socket) ?? 0) + 1);
      res.once('close', () => this.finished(socket));
    });
  }

  /**
   * Closes every connection without a request in flight now, from then on each connection as its
   * last response finishes, and any new connection at once. Responses already written are flushed
   * first (`destroySoon`).
   */
  closeIdle(): void {
    this.closing = true;
    for (const [socket, count] of this.inFlight) if (count === 0) socket.destroySoon();
  }

  private finished(socket: Socket): void {
    const before = this.inFlight.get(socket);
    if (before === undefined) return;
    const count = before - 1;
    this.inFlight.set(socket, count);
    if (this.closing && count === 0) socket.destroySoon();
  }
}

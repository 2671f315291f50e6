import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP relay between Waymark and a server it depends on (PostgreSQL), so a
 * test can take that server away without touching the real one: `cut()`
 * breaks every open connection and refuses new ones (the port is closed, as
 * when the server is down), `restore()` listens again on the same port.
 */
export class TcpProxy {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #server: Server | null = null;
  #port = 0;
  #accepted = 0;

  constructor(target: { host: string; port: number }) {
    this.#target = target;
  }

  /** Port the proxy listens on (stable across cuts). */
  get port(): number {
    return this.#port;
  }

  get isUp(): boolean {
    return this.#server !== null;
  }

  /** Connections accepted since start, across cuts. */
  get acceptedConnections(): number {
    return this.#accepted;
  }

  get openConnections(): number {
    return this.#sockets.size / 2;
  }

  async start(): Promise<this> {
    await this.#listen(0);
    return this;
  }

  /** Drops every connection and refuses new ones until `restore()`. */
  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async restore(): Promise<void> {
    if (this.#server) return;
    await this.#listen(this.#port);
  }

  /** Cut, wait, restore. */
  async cutFor(ms: number): Promise<void> {
    await this.cut();
    await new Promise((resolve) => setTimeout(resolve, ms));
    await this.restore();
  }

  async stop(): Promise<void> {
    await this.cut();
  }

  async #listen(port: number): Promise<void> {
    const server = createServer((client) => this.#relay(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  #relay(client: Socket): void {
    this.#accepted += 1;
    const upstream = connect(this.#target.port, this.#target.host);
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.setNoDelay(true);
      // Either side failing ends both: the peer sees a reset, as with a dead server.
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on('close', () => {
        this.#sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

/** A proxy in front of the database at `databaseUrl`, and the same URL pointed through it. */
export async function proxyDatabase(databaseUrl: string): Promise<{ proxy: TcpProxy; url: string }> {
  const direct = new URL(databaseUrl);
  const proxy = await new TcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) }).start();
  const proxied = new URL(databaseUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  return { proxy, url: proxied.toString() };
}

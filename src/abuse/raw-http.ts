import { request } from 'node:http';
import { connect, type Socket } from 'node:net';

export type RawAnswer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/**
 * One request on its own connection. `chunked` sends the body without a
 * content-length, in pieces, so the server only learns its size by reading.
 * A server that answers before the body is all sent may close the socket on
 * us; the answer still counts.
 */
export function sendRaw(
  baseUrl: string,
  options: { method: string; path: string; headers: Record<string, string>; body: Buffer; chunked: boolean },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const url = new URL(options.path, baseUrl);
    const headers: Record<string, string> = { ...options.headers };
    if (options.chunked) headers['transfer-encoding'] = 'chunked';
    else headers['content-length'] = String(options.body.length);
    let answered = false;
    const req = request(url, { method: options.method, headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (options.chunked) {
      const piece = 4096;
      for (let offset = 0; offset < options.body.length; offset += piece)
        req.write(options.body.subarray(offset, offset + piece));
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

export type StalledClient = {
  socket: Socket;
  /** Everything the server sent before it closed the connection. */
  closed: Promise<{ afterMs: number; received: string }>;
};

/**
 * A raw TCP client that sends `opening` and nothing more unless the test
 * writes to its socket: a client too slow for the server's timeouts.
 */
export function openRawClient(port: number, opening: string): Promise<StalledClient> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let connected = false;
    const socket = connect({ port, host: '127.0.0.1' }, () => {
      connected = true;
      socket.write(opening);
      resolve({ socket, closed });
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const closed = new Promise<{ afterMs: number; received: string }>((done) => {
      socket.on('close', () =>
        done({ afterMs: Date.now() - started, received: Buffer.concat(chunks).toString('latin1') }),
      );
    });
    // Once connected, a reset by the server is just how it hangs up: `closed` reports it.
    socket.on('error', (error) => {
      if (!connected) reject(error);
    });
  });
}

import type { AddressInfo } from 'node:net';

import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export type CapturedEmail = {
  rcptTo: string[];
  /** Header names lower-cased, folded lines joined. */
  headers: Map<string, string>;
  raw: string;
};

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) back to text; UTF-8 only, as nodemailer writes. */
function decodeEncodedWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?[^?]+\?([QqBb])\?([^?]*)\?=/g, (_word, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-Fa-f]{2})/g, (_hex, byte: string) => String.fromCharCode(parseInt(byte, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

function parseHeaders(raw: string): Map<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), decodeEncodedWords(line.slice(colon + 1).trim()));
  }
  return headers;
}

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 that keeps every accepted
 * message. Recipients listed in `rejectRecipients` get 550 at RCPT TO;
 * `dataDelayMs` holds the reply to DATA, widening the window in which a
 * message is accepted but the sender has not heard so yet.
 */
export class CapturingSmtpServer {
  readonly received: CapturedEmail[] = [];
  readonly rejectRecipients = new Set<string>();
  dataDelayMs = 0;
  readonly #server: SMTPServer;

  constructor() {
    this.#server = new SMTPServer({
      logger: false,
      secure: false,
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      closeTimeout: 100,
      disableReverseLookup: true,
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        if (this.rejectRecipients.has(address.address)) {
          return callback(smtpError(550, `5.1.1 <${address.address}>: Recipient address rejected`));
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          // Kept as soon as the whole message is in: a client killed while waiting for the reply has still delivered.
          this.received.push({
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            headers: parseHeaders(raw),
            raw,
          });
          setTimeout(() => callback(null, `Ok: queued as Q${this.received.length}`), this.dataDelayMs);
        });
      },
    });
  }

  /** Connection errors, such as a client killed mid-conversation; kept rather than thrown. */
  readonly connectionErrors: Error[] = [];

  async start(): Promise<this> {
    this.#server.on('error', (error: Error) => this.connectionErrors.push(error));
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.#server.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(resolve));
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Real Waymark processes for the fault tests: the built CLI
 * (`dist/cli/main.js`, so `npm run build` first), spawned with a test
 * environment, their output kept for assertions and for the failure message.
 */

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** A fixed key, so one-shot commands and servers of one test open the same sealed secrets. */
export const FAULT_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

export function waymarkEnv(databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: databaseUrl,
    WAYMARK_SECRET_KEY: FAULT_SECRET_KEY,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

export class WaymarkProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #stdout = '';
  #stderr = '';
  #exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stdout += chunk;
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr += chunk;
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        resolve(this.#exit);
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  get hasExited(): boolean {
    return this.#exit !== null;
  }

  get exitStatus(): { code: number | null; signal: NodeJS.Signals | null } | null {
    return this.#exit;
  }

  /** Pino lines on stdout, parsed. */
  logLines(): Record<string, unknown>[] {
    return this.#stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => {
        try {
          return JSON.parse(line) as Record<string, unknown>;
        } catch {
          return { unparsed: line };
        }
      });
  }

  /** Waits until stderr or stdout matches, or the process exits, or the time runs out. */
  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.#stderr) ?? pattern.exec(this.#stdout);
      if (match) return match;
      if (this.hasExited)
        throw new Error(`process exited (${JSON.stringify(this.#exit)}) before ${pattern}\n${this.describe()}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms\n${this.describe()}`);
      await sleep(50);
    }
  }

  /** SIGKILL: no handler runs, no lease is handed back. */
  async killHard(): Promise<void> {
    if (this.hasExited) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.hasExited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  describe(): string {
    return `--- stderr ---\n${this.#stderr.slice(-3000)}\n--- stdout ---\n${this.#stdout.slice(-3000)}`;
  }
}

/** `start` or `serve` on a free port; resolves once it listens, with its base URL. */
export async function startServer(
  command: 'start' | 'serve',
  env: NodeJS.ProcessEnv,
  extraArgs: string[] = [],
  timeoutMs = 60_000,
): Promise<{ process: WaymarkProcess; baseUrl: string }> {
  const server = new WaymarkProcess([command, '--port', '0', '--host', '127.0.0.1', ...extraArgs], env);
  const match = await server.waitForOutput(/Waymark is running at http:\/\/[^:]+:(\d+)/, timeoutMs);
  return { process: server, baseUrl: `http://127.0.0.1:${match[1]}` };
}

/** A one-shot command that prints JSON; fails with its stderr when it exits non-zero. */
export async function runCliJson<T>(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<T> {
  const command = new WaymarkProcess(args, env);
  const timer = setTimeout(() => command.child.kill('SIGKILL'), timeoutMs);
  const { code } = await command.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`waymark ${args.join(' ')} exited ${code}\n${command.describe()}`);
  return JSON.parse(command.stdout) as T;
}

/** An `api` store and a key for it, made with the CLI as an operator would. */
export async function createApiStore(
  env: NodeJS.ProcessEnv,
  name: string,
): Promise<{ storeId: string; slug: string; key: string }> {
  const store = await runCliJson<{ id: string; slug: string }>(
    ['store', 'add', '--platform', 'api', '--name', name],
    env,
  );
  const { key } = await runCliJson<{ key: string }>(['apikey', 'create', '--store', store.slug], env);
  return { storeId: store.id, slug: store.slug, key };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs` with `what`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: Error | undefined;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error instanceof Error ? error : new Error(String(error));
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ''}`,
      );
    }
    await sleep(intervalMs);
  }
}

/** GET with a hard timeout; a hang becomes a failure with a name, not a stuck test. */
export async function httpGet(url: string, timeoutMs = 10_000): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, body: await response.text() };
}

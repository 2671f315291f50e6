/**
 * Child process for the lease tests: claims rows, reports them on stdout,
 * then hangs until killed — a worker that dies mid-lease.
 * Usage: claim-and-hang.ts DATABASE_URL OWNER LIMIT LEASE_MS
 */
import { WorkClaimer } from '../storage/claim.js';
import { openDatabase } from '../storage/create-database.js';

const [url, owner, limit, leaseMs] = process.argv.slice(2);
if (!url || !owner || !limit || !leaseMs) throw new Error('usage: claim-and-hang URL OWNER LIMIT LEASE_MS');
const opened = openDatabase(url);
const claimer = new WorkClaimer(opened.db, opened.dialect, 'inbound_webhook');
const rows = await claimer.claim({
  owner,
  limit: Number(limit),
  leaseMs: Number(leaseMs),
  now: new Date().toISOString(),
});
process.stdout.write(`${JSON.stringify(rows.map((r) => r.id))}\n`);
setInterval(() => undefined, 60_000);

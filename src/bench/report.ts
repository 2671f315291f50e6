import type { EventsResult } from './apply-events.js';
import type { PollsResult } from './apply-polls.js';
import { formatSize, type ClaimsResult } from './claim-due.js';
import type { AccuracyCounts, DetectResult } from './detect.js';
import type { IngestResult } from './ingest.js';
import type { Machine } from './machine.js';
import type { NotificationsResult } from './notifications.js';
import { formatCount, type TrackingResult } from './tracking-page.js';

const DIALECT_NAME = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));

/** A plain-text table: first column left-aligned, the rest right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatMachine(machine: Machine): string {
  const lines = [
    `CPU      ${machine.cpus} × ${machine.cpuModel}`,
    `Memory   ${machine.memoryGiB} GiB`,
    `OS       ${machine.os}`,
    `Node     ${machine.node}`,
    `SQLite   ${machine.sqlite} (better-sqlite3)`,
  ];
  if (machine.postgres) {
    const settings = Object.entries(machine.postgres.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    lines.push(`Postgres ${machine.postgres.version}${settings ? ` (${settings})` : ''}`);
  }
  const load = (values: number[]): string => values.map((n) => n.toFixed(2)).join(' ');
  lines.push(
    `Load     ${load(machine.loadAverage.start)} at the start` +
      (machine.loadAverage.end ? `, ${load(machine.loadAverage.end)} at the end` : '') +
      ' (1, 5, 15 min)',
  );
  lines.push(
    `Code     ${machine.code.commit}` +
      (machine.code.changedFiles > 0 ? ` + ${machine.code.changedFiles} changed or new files in the work tree` : ''),
  );
  return lines.join('\n');
}

export function formatEvents(result: EventsResult): string {
  const title =
    `${DIALECT_NAME[result.dialect]} — applying tracking events: ${result.batchSize} events per transaction, ` +
    `${int(result.rowsPerRep)} rows per repetition, median and p95 of ${result.reps} after ${result.warmup} warm-up`;
  const rows = result.paths.map((p) => [
    p.label,
    int(p.rowsPerSecond.median),
    int(p.rowsPerSecond.p95),
    ms(p.ms.median),
    ms(p.ms.p95),
    `${ms((p.ms.median * 1000) / (result.rowsPerRep / result.batchSize))} µs`,
    p.path === 'raw'
      ? '1.00'
      : p.ratioToRaw < 1
        ? `${p.ratioToRaw.toFixed(2)} (${(1 / p.ratioToRaw).toFixed(1)}× slower)`
        : `${p.ratioToRaw.toFixed(2)} (not slower)`,
  ]);
  return [
    title,
    table(['path', 'rows/s median', 'rows/s p95', 'ms median', 'ms p95', 'per batch', 'ratio ÷ raw'], rows),
  ].join('\n');
}

export function formatClaims(result: ClaimsResult): string {
  const title =
    `${DIALECT_NAME[result.dialect]} — claim ${int(result.limit)} due shipments ` +
    `(lease ${result.leaseMs / 1000} s), median and p95 of ${result.reps} after ${result.warmup} warm-up`;
  const rows = result.sizes.map((s) => [
    formatSize(s.active),
    int(s.delivered),
    int(s.due),
    int(s.active + s.delivered),
    s.seedSeconds.toFixed(1),
    ms(s.ms.median),
    ms(s.ms.p95),
    ms(s.ms.min),
  ]);
  const lines = [
    title,
    table(
      ['active', 'delivered', 'due', 'rows in table', 'seed s', 'claim ms median', 'claim ms p95', 'claim ms min'],
      rows,
    ),
  ];
  const breakdown = result.sizes.filter((s) => s.sqlite);
  if (breakdown.length > 0) {
    lines.push(
      'where a SQLite claim goes (medians of 5 more claims, automatic checkpoints off):',
      table(
        ['active', 'WAL pages/claim', 'claim w/o checkpoint ms', 'checkpoint of those pages ms', 'sum ms'],
        breakdown.map((s) => [
          formatSize(s.active),
          int(s.sqlite!.walPagesPerClaim),
          ms(s.sqlite!.claimWithoutCheckpointMs),
          ms(s.sqlite!.checkpointMs),
          ms(s.sqlite!.claimWithoutCheckpointMs + s.sqlite!.checkpointMs),
        ]),
      ),
    );
    const [small, large] = [breakdown[0]!.sqlite!, breakdown[breakdown.length - 1]!.sqlite!];
    if (breakdown.length > 1) {
      lines.push(
        `claim w/o checkpoint ${formatSize(breakdown[breakdown.length - 1]!.active)} ÷ ${formatSize(breakdown[0]!.active)}: ` +
          `${(large.claimWithoutCheckpointMs / small.claimWithoutCheckpointMs).toFixed(2)}×; ` +
          `with its own checkpoint: ${((large.claimWithoutCheckpointMs + large.checkpointMs) / (small.claimWithoutCheckpointMs + small.checkpointMs)).toFixed(2)}×`,
      );
    }
  }
  if (result.growth) {
    const g = result.growth;
    lines.push(
      `claim time ${g.label}: ${g.ratio.toFixed(2)}× (limit ${g.max}×) — ${g.flat ? 'flat, OK' : 'NOT FLAT: FAIL'}`,
    );
  }
  return lines.join('\n');
}

export function formatPlans(result: ClaimsResult): string {
  return result.sizes
    .map((s) => [`${DIALECT_NAME[result.dialect]} claim plan at ${formatSize(s.active)}:`, ...s.plan].join('\n  '))
    .join('\n');
}

const pct = (part: number, whole: number): string =>
  `${int(part)}/${int(whole)} (${whole === 0 ? '–' : ((100 * part) / whole).toFixed(1)}%)`;

const goal = (met: boolean): string => (met ? 'met' : 'NOT met');

export function formatDetect(result: DetectResult): string {
  const t = result.testNumbers;
  const title =
    `Carrier detection — Waymark detectCarrier vs ts-tracking-number ${result.tsTrackingNumberVersion}: ` +
    `${int(t.valid + t.invalid)} test numbers of the vendored tracking_number_data (${t.valid} valid, ` +
    `${t.invalid} invalid, ${t.couriers} couriers), ${int(result.detectionsPerLibrary)} detections per library ` +
    `in ${result.blocks} blocks of ${int(result.blockSize)} after ${result.warmupBlocks} warm-up, interleaved`;
  const speed = table(
    ['library', 'detections/s', 'µs/detection', 'ms/block median', 'ms/block p95'],
    result.libraries.map((l) => [
      l.library,
      int(l.perSecond),
      l.microsecondsPerDetection.toFixed(2),
      ms(l.ms.median),
      ms(l.ms.p95),
    ]),
  );
  const verdict = `Waymark ÷ ts-tracking-number: ${result.speedup.toFixed(1)}× the detections/s (goal ≥ 10×: ${goal(result.speedup >= 10)})`;
  const shared = result.testNumbers.sharedCouriers.length;
  const accuracy = table(
    ['library', 'valid → own courier', 'invalid → not that courier', 'all right', `on the ${shared} shared couriers`],
    result.accuracy.map((a) => [
      a.library,
      pct(a.all.validRight, a.all.valid),
      pct(a.all.invalidRight, a.all.invalid),
      pct(a.all.validRight + a.all.invalidRight, a.all.valid + a.all.invalid),
      pct(a.shared.validRight + a.shared.invalidRight, a.shared.valid + a.shared.invalid),
    ]),
  );
  const [waymark, other] = result.accuracy;
  const couriers = Object.keys(waymark!.byCourier);
  const cell = (c: AccuracyCounts | undefined): string =>
    c ? `${c.validRight}/${c.valid} + ${c.invalidRight}/${c.invalid}` : '–';
  const byCourier = table(
    ['courier', 'tests (valid + invalid)', 'waymark right', 'ts-tracking-number right', 'ts: other courier / nothing'],
    couriers.map((courier) => {
      const w = waymark!.byCourier[courier];
      const o = other!.byCourier[courier];
      return [
        `${courier}${result.testNumbers.sharedCouriers.includes(courier) ? '' : ' *'}`,
        `${w!.valid} + ${w!.invalid}`,
        cell(w),
        cell(o),
        o ? `${o.validOtherCarrier} / ${o.validNothing}` : '–',
      ];
    }),
  );
  const wrong = (library: typeof waymark): string[] =>
    library!.misses.map(
      (m) =>
        `  ${library!.library}: ${m.expected} ${JSON.stringify(m.number)} (${m.format}) answered ${m.answer ?? 'nothing'}`,
    );
  return [
    title,
    speed,
    verdict,
    '',
    'accuracy: the single answer of each library (valid numbers: their courier; invalid: anything but that courier)',
    accuracy,
    `Waymark, counting every valid candidate and not only the first: valid numbers with a valid reading for their ` +
      `courier ${pct(result.waymarkValidAmongCandidates, t.valid)}; invalid numbers with none ${pct(result.waymarkInvalidNoCandidate, t.invalid)}`,
    `better accuracy than ts-tracking-number: ${goal(
      waymark!.all.validRight + waymark!.all.invalidRight > other!.all.validRight + other!.all.invalidRight,
    )}`,
    '',
    'by courier (* = not in ts-tracking-number):',
    byCourier,
    'wrong answers of Waymark:',
    ...wrong(waymark),
  ].join('\n');
}

export function formatPolls(result: PollsResult): string {
  const title =
    `${DIALECT_NAME[result.dialect]} — ${int(result.newEvents)} events to ${int(result.shipments)} shipments: ` +
    `${result.eventsPerShipment} per shipment in ${result.polls} polls, each the whole history so far ` +
    `(${int(result.deliveredEvents)} events delivered, ${int(result.deliveredEvents - result.newEvents)} of them repeats), ` +
    `one transaction per shipment and poll`;
  const rows = result.paths.map((p) => [
    p.label,
    int(p.newEventsPerSecond),
    int(p.deliveredPerSecond),
    (p.totalMs / 1000).toFixed(1),
    ms(p.msPerCall),
    p.path === 'raw'
      ? '1.00'
      : p.ratioToRaw < 1
        ? `${p.ratioToRaw.toFixed(2)} (${(1 / p.ratioToRaw).toFixed(1)}× slower)`
        : `${p.ratioToRaw.toFixed(2)} (not slower)`,
  ]);
  const sent = Array.from({ length: result.polls }, (_, i) =>
    Math.ceil((result.eventsPerShipment * (i + 1)) / result.polls),
  );
  const byPoll = table(
    ['ms per call', ...sent.map((n, i) => `poll ${i + 1} (${n} sent)`)],
    result.paths.map((p) => [p.label, ...p.msPerCallByPoll.map((v) => ms(v))]),
  );
  return [
    title,
    table(['path', 'new events/s', 'delivered/s', 'total s', 'ms/call', 'ratio ÷ raw (new events/s)'], rows),
    byPoll,
  ].join('\n');
}

const bytes = ({ min, max }: { min: number; max: number }): string =>
  min === max ? int(min) : `${int(min)}–${int(max)}`;

export function formatIngest(result: IngestResult): string {
  const title =
    `${DIALECT_NAME[result.dialect]} — webhook ingest: signed Shopify orders/create, ${bytes(result.bodyBytes)}-byte ` +
    `bodies, ${result.connections} connections, ${result.rounds} × ${result.secondsPerRun} s per server ` +
    `(interleaved, the other servers paused), medians of the runs`;
  const { bare, essentials, waymark } = result.summary;
  const cpu = (micros: number): string => (Number.isFinite(micros) ? int(micros) : '—');
  const summary = table(
    ['server', '2xx/s', 'p50 ms', 'p99 ms', 'server CPU µs per 2xx'],
    [
      [
        'bare Fastify route (baseline)',
        int(bare.okPerSecond),
        ms(bare.p50),
        ms(bare.p99),
        cpu(bare.serverCpuMicrosPerOk),
      ],
      [
        'essential work only (verify, parse, commit)',
        int(essentials.okPerSecond),
        ms(essentials.p50),
        ms(essentials.p99),
        cpu(essentials.serverCpuMicrosPerOk),
      ],
      [
        `Waymark (waymark ${result.command})`,
        int(waymark.okPerSecond),
        ms(waymark.p50),
        ms(waymark.p99),
        cpu(waymark.serverCpuMicrosPerOk),
      ],
    ],
  );
  const runs = table(
    ['run', 'server', 's', '2xx', '2xx/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'CPU µs/2xx', 'non-2xx', 'errors'],
    result.runs.map((r) => [
      r.round === 0 ? 'warm-up' : String(r.round),
      r.target,
      r.seconds.toFixed(1),
      int(r.ok),
      int(r.okPerSecond),
      ms(r.latency.p50),
      ms(r.latency.p90),
      ms(r.latency.p99),
      ms(r.latency.max),
      cpu(r.serverCpuMicrosPerOk),
      int(r.non2xx),
      int(r.errors + r.timeouts),
    ]),
  );
  const d = result.durability;
  const states = Object.entries(d.states)
    .map(([state, n]) => `${state} ${int(n)}`)
    .join(', ');
  return [
    title,
    summary,
    `Waymark ÷ bare: ${result.ratio.toFixed(2)} (goal ≥ 0.5: ${goal(result.ratio >= 0.5)}); ` +
      `essential work only ÷ bare: ${result.essentialsRatio.toFixed(2)}; ` +
      `Waymark ÷ essential work only: ${(waymark.okPerSecond / essentials.okPerSecond).toFixed(2)}`,
    runs,
    `durability (Waymark killed with SIGKILL after the last run): ${int(d.answered2xx)} 2xx answers; ` +
      `${int(d.rows)} inbound_webhook rows = ${int(d.rows - d.unansweredCommitted)} answered 2xx + ` +
      `${int(d.unansweredCommitted)} of the ${int(d.unanswered)} requests cut off in flight when the load stopped; ` +
      `2xx missing ${int(d.missing)}, unexpected rows ${int(d.unexpected)} — ${d.ok ? 'OK' : 'FAIL'}`,
    `inbox when killed: ${states || 'empty'}; Waymark logged ${int(result.serverWarnings)} warnings or errors`,
  ].join('\n');
}

export function formatTracking(result: TrackingResult): string {
  const sizes = result.databases.map((d) => formatCount(d.orders)).join(' and ');
  const postgres = result.dialect === 'postgres';
  const title =
    `${DIALECT_NAME[result.dialect]} — tracking page: Waymark \`serve\` with ${sizes} orders against a bare ` +
    `Fastify route serving a static page of the same size, ${result.connections} connections, ` +
    `${result.rounds} × ${result.secondsPerRun} s per target (mirrored order), medians of the runs; ` +
    `a distinct client address per request`;
  const seeded = table(
    [
      'orders',
      'shipments',
      'orders requested',
      'events',
      'seed s',
      'of it: orders+shipments s',
      'events s',
      postgres ? 'VACUUM ANALYZE + CHECKPOINT s' : 'checkpoint + fsync s',
      postgres ? 'database MiB' : 'file MiB',
    ],
    result.databases.map((d) => [
      formatCount(d.orders),
      int(d.shipments),
      int(d.sampledOrders),
      int(d.events),
      d.seedSeconds.total.toFixed(1),
      d.seedSeconds.ordersAndShipments.toFixed(1),
      d.seedSeconds.events.toFixed(1),
      d.seedSeconds.upkeep.toFixed(1),
      int(d.sizeBytes / 2 ** 20),
    ]),
  );
  const page = result.page;
  const sizesLine =
    `page bytes: link page ${bytes(page.link)} (median ${int(page.link.median)}), bare static page ${int(page.bareBytes)}` +
    (page.lookup ? `, look-up answer ${bytes(page.lookup)}` : '') +
    `; response headers about ${int(page.headerBytes)} bytes on both`;
  const summary = table(
    [
      'target',
      '2xx/s',
      'p50 ms',
      'p99 ms',
      'server CPU ms/answer',
      ...(postgres ? ['PostgreSQL CPU ms/answer'] : []),
      'non-2xx',
      'errors',
      '÷ bare',
    ],
    result.targets.map((t) => {
      const s = result.summary[t.id]!;
      return [
        t.label,
        int(s.okPerSecond),
        ms(s.p50),
        ms(s.p99),
        s.serverCpuMsPerAnswer.toFixed(2),
        ...(postgres ? [databaseCpu(s.databaseCpuMsPerAnswer)] : []),
        int(s.non2xx),
        int(s.errors),
        t.kind === 'bare' ? '1.00' : result.ratios[t.id]!.toFixed(3),
      ];
    }),
  );
  const runs = table(
    [
      'run',
      'target',
      's',
      '2xx',
      '2xx/s',
      'p50 ms',
      'p90 ms',
      'p99 ms',
      'max ms',
      'CPU ms/2xx',
      ...(postgres ? ['PG CPU ms/2xx'] : []),
      'non-2xx',
      'errors',
      'load 1m',
    ],
    result.runs.map((r) => [
      r.pacedRate !== null ? `${r.pacedRate}/s` : r.round === 0 ? 'warm-up' : String(r.round),
      r.target,
      r.seconds.toFixed(1),
      int(r.ok),
      int(r.okPerSecond),
      ms(r.latency.p50),
      ms(r.latency.p90),
      ms(r.latency.p99),
      ms(r.latency.max),
      r.serverCpuMsPerAnswer.toFixed(2),
      ...(postgres ? [databaseCpu(r.databaseCpuMsPerAnswer)] : []),
      int(r.non2xx),
      int(r.errors + r.timeouts),
      r.load1.toFixed(2),
    ]),
  );
  const lines = [title, seeded, sizesLine, summary];
  if (postgres) {
    lines.push(
      'server CPU: the Waymark process only; PostgreSQL CPU: its client backends for that database, read from ' +
        '/proc (n/a when the server is not on this machine). On SQLite the reads run inside the server process.',
    );
  }
  const paced = result.targets.filter((t) => result.summary[t.id]!.paced);
  if (paced.length > 0) {
    lines.push(
      `below saturation: one run per target held to ${result.summary[paced[0]!.id]!.paced!.rate} requests/s`,
      table(
        ['target', '2xx/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
        paced.map((t) => {
          const p = result.summary[t.id]!.paced!;
          return [t.label, int(p.okPerSecond), ms(p.p50), ms(p.p99), int(p.non2xx), int(p.errors)];
        }),
      ),
    );
  }
  if (result.growth) {
    const g = result.growth;
    lines.push(
      `signed-link page ${formatCount(g.to)} ÷ ${formatCount(g.from)} orders: ${g.okPerSecondRatio.toFixed(2)}× the 2xx/s, ` +
        `${g.p99Ratio.toFixed(2)}× the p99`,
    );
  }
  lines.push(
    runs,
    `Waymark servers logged ${int(result.serverWarnings)} warnings or errors under load, ` +
      `${int(result.shutdownWarnings)} while stopping after it (log tail in the JSON)`,
  );
  const first = result.breakdown[0];
  if (first && first.parts.length > 0) {
    lines.push(
      `where a signed-link page goes: CPU per call in the benchmark process, median of 5 interleaved rounds ` +
        `(${int(first.parts[0]!.calls)} calls per part, on other orders than as many warm-up calls)` +
        (postgres
          ? '; PostgreSQL: the Node side only (its server processes are not counted), and the raw-statement ' +
            'reads are SQLite only'
          : ''),
      table(
        ['part', ...result.breakdown.map((b) => `µs at ${formatCount(b.orders)}`)],
        first.parts.map((p, i) => [p.part, ...result.breakdown.map((b) => int(b.parts[i]?.cpuMicroseconds ?? NaN))]),
      ),
    );
  }
  for (const profile of result.profiles) {
    lines.push(
      `CPU profile of the Waymark server behind ${profile.target} (${profile.sampledSeconds.toFixed(1)} s sampled, ${profile.file}):`,
      table(
        ['self time by place', 'ms', 'share'],
        profile.selfByPlace.map((p) => [p.place, int(p.ms), `${(100 * p.share).toFixed(1)}%`]),
      ),
      table(
        ['including callees (share of the non-idle time)', 'ms', 'share'],
        profile.inclusive.map((f) => [f.fn, int(f.ms), `${(100 * f.share).toFixed(1)}%`]),
      ),
    );
  }
  return lines.join('\n');
}

/** PostgreSQL backends' CPU per answer: blank for the bare route (no database), n/a where /proc could not tell. */
function databaseCpu(msPerAnswer: number | null): string {
  if (msPerAnswer === null) return '';
  return Number.isNaN(msPerAnswer) ? 'n/a' : msPerAnswer.toFixed(2);
}

export function formatNotifications(result: NotificationsResult): string {
  const title =
    `${DIALECT_NAME[result.dialect]} — notifications: ${int(result.messages)} planned order-confirmation emails ` +
    `to an SMTP server in the benchmark process (seeded in ${result.seedSeconds.toFixed(1)} s); rate over the ` +
    `messages accepted after every worker was running (bare: after the first), one run each in the order listed`;
  const rows = result.runs.map((r) => [
    r.target === 'bare'
      ? `bare nodemailer, ${r.processes} sender${r.processes > 1 ? 's' : ''}`
      : `Waymark, ${r.processes} worker process${r.processes > 1 ? 'es' : ''}`,
    int(r.messages),
    int(r.measuredMessages),
    r.seconds.toFixed(2),
    int(r.perSecond),
    r.startupSeconds.toFixed(2),
    int(r.meanMessageBytes),
    r.workerCpuMsPerMessage === null ? '' : r.workerCpuMsPerMessage.toFixed(2),
    r.commitsPerMessage === null ? '' : r.commitsPerMessage.toFixed(2),
    `${r.duplicates} / ${r.missing}`,
    r.states === null
      ? ''
      : Object.entries(r.states)
          .map(([state, n]) => `${state} ${int(n)}`)
          .join(', '),
  ]);
  return [
    title,
    table(
      [
        'run',
        'messages',
        'measured',
        's',
        'messages/s',
        'start-up s',
        'bytes/message',
        'worker CPU ms/message',
        'PG commits/message (whole run)',
        'dup / missing',
        'outbox after',
      ],
      rows,
    ),
    `Waymark ÷ bare: ${result.ratios.one.toFixed(2)} with one process, ${result.ratios.three.toFixed(2)} with three; ` +
      `every key exactly once and every row sent: ${result.ok ? 'OK' : 'FAIL'}`,
  ].join('\n');
}

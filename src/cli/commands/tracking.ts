import { readFileSync } from 'node:fs';

import type { Command } from 'commander';

import { TRACKING_NORMALIZERS } from '../../adapters/carriers/carrier-registry.js';
import { detectCarrier, normaliseCarrierName } from '../../core/detection/index.js';
import { isDomainError } from '../../core/errors.js';
import type { CarrierClient } from '../../core/ports/carrier.port.js';
import type { TrackingOutcome } from '../../core/tracking/tracking-result.js';
import { formatLocation } from '../../core/shipment/shipment.js';
import { ConfigError } from '../../config/config.js';
import { buildCarrierClientResolver, buildCarrierRegistry } from '../carriers.js';
import { createLogger, loadConfig } from '../runtime.js';
import { UsageError } from '../usage-error.js';
import { findStoreByIdOrSlug } from './carrier.js';
import { printJson, withCommonOptions, withRuntime } from './common.js';

const SOURCES = Object.keys(TRACKING_NORMALIZERS);

/** The public shape of `normalize` and `track` (DESIGN §5). */
export function outcomeToJson(outcome: TrackingOutcome): Record<string, unknown> {
  if (outcome.kind === 'not_found_yet') {
    return {
      trackingNumber: outcome.trackingNumber,
      status: 'pending',
      substatus: 'not_found',
      trackerState: 'not_found',
      message: outcome.message,
      events: [],
    };
  }
  if (outcome.kind === 'invalid_number') {
    return {
      trackingNumber: outcome.trackingNumber,
      status: 'pending',
      substatus: 'invalid_tracking_number',
      trackerState: 'error_invalid_number',
      message: outcome.message,
      events: [],
    };
  }
  const { result } = outcome;
  return {
    carrier: result.carrier,
    trackingNumber: result.trackingNumber,
    status: result.status,
    substatus: result.substatus,
    ...(result.reason ? { reason: result.reason } : {}),
    ...(result.estimatedDelivery ? { estimatedDelivery: result.estimatedDelivery } : {}),
    ...(result.deliveredAt ? { deliveredAt: result.deliveredAt } : {}),
    ...(result.signedBy ? { signedBy: result.signedBy } : {}),
    ...(result.service ? { service: result.service } : {}),
    events: result.events.map((event) => ({
      occurredAt: event.occurredAt,
      occurredAtLocal: event.occurredAtLocal,
      status: event.status,
      substatus: event.substatus,
      ...(event.reason ? { reason: event.reason } : {}),
      description: event.description,
      location: formatLocation(event.location),
      rawCode: event.rawCode,
    })),
  };
}

async function readInput(file: string | undefined): Promise<string> {
  if (file && file !== '-') {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  if (process.stdin.isTTY) throw new UsageError('give a FILE or pipe the body on stdin');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerTrackingCommands(program: Command): void {
  program
    .command('normalize')
    .description(
      'parse a carrier API answer or aggregator webhook body and print the normalised tracking result as JSON',
    )
    .argument('[file]', 'the body to read (default: stdin)')
    .option('--source <source>', `where the body comes from: ${SOURCES.join(', ')}`)
    .addHelpText(
      'after',
      `
Prints one JSON object per tracking number in the body:
  {"status","substatus","reason"?,"estimatedDelivery"?,"deliveredAt"?,"signedBy"?,"events":[{"occurredAt","status","substatus","description","location","rawCode"}]}
A not-found answer prints status "pending" with trackerState "not_found". Malformed input exits 2.`,
    )
    .action(async (file: string | undefined, flags: { source?: string }) => {
      if (!flags.source) throw new UsageError(`--source is required (${SOURCES.join(', ')})`);
      const normalize = TRACKING_NORMALIZERS[flags.source];
      if (!normalize) throw new UsageError(`--source must be one of ${SOURCES.join(', ')} (got "${flags.source}")`);
      const text = await readInput(file);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new UsageError(
          `input is not valid JSON (${text.trim().length === 0 ? 'empty' : `starts with ${JSON.stringify(text.trim().slice(0, 20))}`})`,
        );
      }
      let outcomes: TrackingOutcome[];
      try {
        outcomes = normalize(body);
      } catch (error) {
        if (isDomainError(error)) throw new UsageError(`not a ${flags.source} tracking body: ${error.message}`);
        throw error;
      }
      if (outcomes.length === 0) throw new UsageError(`the ${flags.source} body holds no tracking update`);
      for (const outcome of outcomes) printJson(outcomeToJson(outcome));
    });

  withCommonOptions(
    program
      .command('track')
      .description(
        "fetch live tracking from the carrier: with --store, the store's own account first; else the environment's",
      )
      .argument('<number>', 'tracking number')
      .option('--carrier <carrier>', 'carrier code or name (default: detected from the number)')
      .option('--store <idOrSlug>', "use this store's own carrier account (`waymark carrier set`) when it has one")
      .addHelpText(
        'after',
        `
Credentials: a store's own account (with --store), else WAYMARK_UPS_CLIENT_ID/_SECRET,
WAYMARK_FEDEX_CLIENT_ID/_SECRET, WAYMARK_USPS_CLIENT_ID/_SECRET, WAYMARK_DHL_API_KEY.
The sandbox carrier (SBX…) needs none.`,
      ),
  ).action(async (number: string, flags: { carrier?: string; store?: string }) => {
    const carrier = flags.carrier
      ? (normaliseCarrierName(flags.carrier) ?? flags.carrier.toLowerCase())
      : detectCarrier(number).carrier;
    if (!carrier) throw new UsageError(`cannot tell the carrier of "${number}"; pass --carrier`);
    const storeRef = flags.store;
    if (storeRef) {
      return withRuntime(flags, async (runtime) => {
        const store = await findStoreByIdOrSlug(runtime, storeRef);
        const choice = await buildCarrierClientResolver(runtime.config, runtime.logger, {
          accounts: runtime.storage.repositories.carrierAccounts,
        }).clientFor(store.id, carrier);
        if (choice.kind !== 'client') {
          throw new UsageError(
            `no credentials for ${carrier}: store "${storeRef}" has no enabled ${carrier} account and the environment has none`,
          );
        }
        await printLiveTracking(choice.client, carrier, number);
      });
    }
    let config;
    try {
      config = loadConfig({ logLevel: 'error' });
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(error.message);
      throw error;
    }
    const client = buildCarrierRegistry(config, createLogger(config, { destination: 2 })).get(carrier);
    if (!client) throw new UsageError(`no credentials for ${carrier} in the environment (see waymark track --help)`);
    await printLiveTracking(client, carrier, number);
  });
}

async function printLiveTracking(client: CarrierClient, carrier: string, number: string): Promise<void> {
  const outcomes = await client.track([number]);
  const outcome = outcomes.get(number) ?? [...outcomes.values()][0];
  if (!outcome) throw new UsageError(`${carrier} returned nothing for ${number}`);
  printJson(outcomeToJson(outcome));
}

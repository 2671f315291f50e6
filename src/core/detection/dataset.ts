/**
 * The courier definitions Waymark detects: the vendored tracking_number_data 2.0.0 files
 * (MIT, unmodified — see `vendor/tracking_number_data/README.md`) plus Waymark's own
 * `sandbox` carrier. JSON is imported statically so the build copies it into `dist/` and
 * the core reads no files at run time.
 */
import type { CourierSpec } from './data-format.js';
import { SANDBOX_COURIER } from './sandbox.js';
import amazon from './vendor/tracking_number_data/couriers/amazon.json' with { type: 'json' };
import canadapost from './vendor/tracking_number_data/couriers/canadapost.json' with { type: 'json' };
import canpar from './vendor/tracking_number_data/couriers/canpar.json' with { type: 'json' };
import dhl from './vendor/tracking_number_data/couriers/dhl.json' with { type: 'json' };
import dpd from './vendor/tracking_number_data/couriers/dpd.json' with { type: 'json' };
import fedex from './vendor/tracking_number_data/couriers/fedex.json' with { type: 'json' };
import gofo from './vendor/tracking_number_data/couriers/gofo.json' with { type: 'json' };
import landmark from './vendor/tracking_number_data/couriers/landmark.json' with { type: 'json' };
import lasership from './vendor/tracking_number_data/couriers/lasership.json' with { type: 'json' };
import oldDominion from './vendor/tracking_number_data/couriers/old_dominion.json' with { type: 'json' };
import ontrac from './vendor/tracking_number_data/couriers/ontrac.json' with { type: 'json' };
import purolator from './vendor/tracking_number_data/couriers/purolator.json' with { type: 'json' };
import s10 from './vendor/tracking_number_data/couriers/s10.json' with { type: 'json' };
import speedee from './vendor/tracking_number_data/couriers/speedee.json' with { type: 'json' };
import ups from './vendor/tracking_number_data/couriers/ups.json' with { type: 'json' };
import usps from './vendor/tracking_number_data/couriers/usps.json' with { type: 'json' };
import yodel from './vendor/tracking_number_data/couriers/yodel.json' with { type: 'json' };
import yunexpress from './vendor/tracking_number_data/couriers/yunexpress.json' with { type: 'json' };

/** The 18 tracking_number_data courier files, in file-name order. */
export const TRACKING_NUMBER_DATA: readonly CourierSpec[] = [
  amazon,
  canadapost,
  canpar,
  dhl,
  dpd,
  fedex,
  gofo,
  landmark,
  lasership,
  oldDominion,
  ontrac,
  purolator,
  s10,
  speedee,
  ups,
  usps,
  yodel,
  yunexpress,
];

/** Everything detection knows: the dataset plus the sandbox carrier. */
export const COURIERS: readonly CourierSpec[] = [...TRACKING_NUMBER_DATA, SANDBOX_COURIER];

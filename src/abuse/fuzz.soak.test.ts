import { afterAll, beforeAll, it } from 'vitest';

import { describeEachDatabase } from '../test-support/databases.js';
import { fuzzPattern, fuzzRoute, startFuzzWorld, type FuzzWorld } from './fuzz-world.js';
import { runsPerRoute } from './hostile-requests.js';
import { ROUTE_INVENTORY, type InventoriedRoute } from './route-inventory.js';

/** `npm run test:soak`: the fuzzers of fuzz-*.test.ts, many times longer, over every inventoried route. */
const RUNS = runsPerRoute(1000);

/** Signing out ends the session the dashboard routes share, so it goes last. */
const ROUTES = (Object.keys(ROUTE_INVENTORY) as InventoriedRoute[]).sort(
  (a, b) => Number(a === 'POST /dashboard/logout') - Number(b === 'POST /dashboard/logout'),
);

describeEachDatabase('soak: fuzzing every route', (dialect) => {
  let world: FuzzWorld;

  beforeAll(async () => {
    world = await startFuzzWorld(dialect);
  });
  afterAll(async () => {
    await world.close();
  });

  it.each(ROUTES)('%s survives many hostile requests', async (key) => {
    await fuzzRoute(world, key, RUNS);
  });

  it('should serve static files under many hostile paths', async () => {
    await fuzzPattern(world, { key: 'GET /assets/*', method: 'GET', url: '/assets/*' }, RUNS);
  });
});

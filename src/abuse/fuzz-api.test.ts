import { afterAll, beforeAll, expect, it } from 'vitest';

import { describeEachDatabase } from '../test-support/databases.js';
import { fuzzRoute, routesOf, startFuzzWorld, type FuzzWorld } from './fuzz-world.js';
import { runsPerRoute } from './hostile-requests.js';
import { Access, ROUTE_INVENTORY, type InventoriedRoute } from './route-inventory.js';

const RUNS = runsPerRoute(40);

/** The API, plus the public JSON routes: health, readiness, metrics and the public tracking look-up. */
const ROUTES: InventoriedRoute[] = [
  ...routesOf(Access.ApiKey),
  ...routesOf(Access.Public).filter((key) => ROUTE_INVENTORY[key].body !== 'html'),
];

describeEachDatabase('fuzzing the API', (dialect) => {
  let world: FuzzWorld;

  beforeAll(async () => {
    world = await startFuzzWorld(dialect);
  });
  afterAll(async () => {
    await world.close();
  });

  it('should fuzz every API route', () => {
    expect(
      ROUTES.filter((key) => key.startsWith('GET /api/v1/') || key.startsWith('POST /api/v1/')).length,
    ).toBeGreaterThan(10);
    expect(ROUTES).toContain('GET /api/public/track/:slug');
  });

  it.each(ROUTES)('%s: no 5xx, the error envelope, still alive', async (key) => {
    await fuzzRoute(world, key, RUNS);
  });
});

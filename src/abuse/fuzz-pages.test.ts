import { afterAll, beforeAll, expect, it } from 'vitest';

import { describeEachDatabase } from '../test-support/databases.js';
import { fuzzPattern, fuzzRoute, routesOf, startFuzzWorld, type FuzzWorld } from './fuzz-world.js';
import { runsPerRoute } from './hostile-requests.js';
import { Access, ROUTE_INVENTORY, type InventoriedRoute } from './route-inventory.js';

const RUNS = runsPerRoute(30);

/**
 * The pages: the customer's tracking page and look-up, signed links, the
 * dashboard's sign-in and every dashboard page and form (with a real session
 * and CSRF token most of the time, so the forms' own code runs). Signing out
 * goes last, since it ends the session it is given.
 */
const ROUTES: InventoriedRoute[] = [
  ...routesOf(Access.Public, Access.SignedLink).filter(
    (key) => ROUTE_INVENTORY[key].body !== 'json' || key.startsWith('POST /u/'),
  ),
  ...routesOf(Access.DashboardSession).filter((key) => key !== 'POST /dashboard/logout'),
  'POST /dashboard/logout',
];

describeEachDatabase('fuzzing the pages', (dialect) => {
  let world: FuzzWorld;

  beforeAll(async () => {
    world = await startFuzzWorld(dialect);
  });
  afterAll(async () => {
    await world.close();
  });

  it('should fuzz the tracking pages, signed links, sign-in and every dashboard route', () => {
    expect(ROUTES).toEqual(
      expect.arrayContaining(['GET /track/:slug', 'POST /track/:slug', 'GET /t/:token', 'POST /dashboard/login']),
    );
    expect(ROUTES.filter((key) => key.includes('/dashboard/')).length).toBeGreaterThan(30);
  });

  it.each(ROUTES)('%s: no 5xx, a page or the envelope, still alive', async (key) => {
    await fuzzRoute(world, key, RUNS);
  });

  it('should serve static files and the API docs under hostile paths', async () => {
    await fuzzPattern(world, { key: 'GET /assets/*', method: 'GET', url: '/assets/*' }, RUNS);
    await fuzzPattern(world, { key: 'GET /api/docs/*', method: 'GET', url: '/api/docs/*' }, RUNS);
  });
});

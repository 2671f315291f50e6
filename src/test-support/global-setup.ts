/**
 * Runs once before the test files. Says plainly whether the PostgreSQL
 * suites will run, so a green run without PostgreSQL is never mistaken for
 * full coverage.
 */
export default function setup(): void {
  const url = process.env.WAYMARK_TEST_POSTGRES_URL;
  if (url) {
    process.stdout.write(`\n[waymark] PostgreSQL suites: ON (${url.replace(/:[^:@/]*@/, ':***@')})\n`);
  } else {
    process.stdout.write(
      '\n[waymark] PostgreSQL suites: SKIPPED — set WAYMARK_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test to run them.\n',
    );
  }
}

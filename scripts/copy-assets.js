// Copies the non-TypeScript files the built package needs next to the compiled code:
// licence notices of vendored data, and the static files served under /assets/.
import { cpSync, existsSync } from 'node:fs';

const ASSETS = [
  ['src/core/detection/vendor/tracking_number_data/LICENSE', 'dist/core/detection/vendor/tracking_number_data/LICENSE'],
  [
    'src/core/detection/vendor/tracking_number_data/README.md',
    'dist/core/detection/vendor/tracking_number_data/README.md',
  ],
  // Static files of the tracking page and the dashboard, served under /assets/.
  ['src/web/public', 'dist/web/public'],
];

for (const [from, to] of ASSETS) {
  if (!existsSync(from)) throw new Error(`asset missing: ${from}`);
  cpSync(from, to, { recursive: true });
}

import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, installed by `.ci/run` when missing. */
export const CHROMIUM_PATH = process.env.WAYMARK_CHROMIUM_PATH ?? '/usr/bin/chromium';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** Where browser tests leave their screenshots, for a person to look at. */
export const SCREENSHOT_DIR = process.env.WAYMARK_SCREENSHOT_DIR ?? '/tmp/waymark-shots';

/** Fails loudly without Chromium: a browser test that skips itself would hide a broken page. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install Debian's package (apt-get install chromium; .ci/run does) or set WAYMARK_CHROMIUM_PATH`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS, headless: true });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

let axeSource: Promise<string> | null = null;

/**
 * Runs axe-core in the page and returns the serious and critical violations
 * (WCAG 2.1 A and AA rules). The page's context must be created with
 * `bypassCSP: true`: our pages forbid injected scripts, axe included.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: await axeSource });
  // A string, because the project compiles without the DOM library.
  const violations = await page.evaluate<AxeViolation[]>(`(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  })()`);
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

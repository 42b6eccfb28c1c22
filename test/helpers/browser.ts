import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium; never a browser downloaded by a test tool (no internet here). */
export const CHROMIUM = process.env.PASSERELLE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Launches the system Chromium headless with the flags this closed network needs, and a
 * fresh profile. A missing browser is a failure with a clear message, never a skip.
 */
export async function launchChromium(viewport = { width: 1400, height: 900 }): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is required for the end-to-end tests and was not found at ${CHROMIUM}. Run scripts/system-deps.sh (apt-get install chromium).`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'passerelle-chromium-'));
  // Playwright passes the fresh profile as --user-data-dir itself (persistent context).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

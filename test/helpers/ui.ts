import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import type * as StartModuleNs from '../../electron/web/start.js';
import { launchChromium } from './browser.js';
import { ROOT } from './paths.js';
import { testEnv } from './transports.js';

type StartModule = typeof StartModuleNs;
export type BuiltWebHost = Awaited<ReturnType<StartModule['startWebHost']>>;

/**
 * The web host as users run it: the BUILT engine and UI from dist/ (what `npm run web` serves),
 * with an isolated PASSERELLE_HOME. Fails plainly when the app is not built.
 */
export async function startBuiltWebHost(env: NodeJS.ProcessEnv = testEnv()): Promise<BuiltWebHost> {
  const start = join(ROOT, 'dist', 'electron', 'web', 'start.js');
  if (!existsSync(join(ROOT, 'dist', 'renderer', 'index.html')) || !existsSync(start)) {
    throw new Error('The app is not built: run `npm run build` (the test command does it).');
  }
  const { startWebHost } = (await import(pathToFileURL(start).href)) as StartModule;
  return startWebHost({ port: 0, env });
}

/** The built app in the system Chromium, in French, with the demo summarised; page errors collected. */
export async function openApp(opts: { viewport?: { width: number; height: number }; env?: NodeJS.ProcessEnv } = {}): Promise<{
  host: BuiltWebHost;
  browser: Awaited<ReturnType<typeof launchChromium>>;
  page: Page;
  errors: string[];
  close: () => Promise<void>;
}> {
  const host = await startBuiltWebHost(opts.env);
  const browser = await launchChromium(opts.viewport);
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(host.url);
  await page.getByTestId('language').getByText('FR').click();
  await page.getByTestId('observation-count').waitFor({ timeout: 30_000 });
  return {
    host,
    browser,
    page,
    errors,
    close: async () => {
      await browser.close();
      await host.close();
    },
  };
}

/**
 * What most browser test files start and stop around their tests: the real server and Chromium, started
 * together. `before(async () => ({ server, browser } = await startServerAndBrowser()))` and
 * `after(() => stopServerAndBrowser(server, browser))`.
 */
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { startServer, type RunningServer } from './server.ts';

export async function startServerAndBrowser(
  env: Record<string, string> = {},
): Promise<{ server: RunningServer; browser: Browser }> {
  const [server, browser] = await Promise.all([startServer(env), launchBrowser()]);
  return { server, browser };
}

/** Closes the browser, then stops the server; either may be missing when starting failed. */
export async function stopServerAndBrowser(server?: RunningServer, browser?: Browser): Promise<void> {
  await browser?.close();
  await server?.stop();
}

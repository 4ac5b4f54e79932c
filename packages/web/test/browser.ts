import { existsSync } from "node:fs";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's chromium (`apt-get install chromium`); Playwright downloads no browser here. */
export const CHROMIUM = process.env.MODELGATE_CHROMIUM ?? "/usr/bin/chromium";

/** Flags for a headless run that never reaches the network on its own. */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches the system Chromium, or fails saying how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: run 'apt-get install -y chromium' (or set MODELGATE_CHROMIUM)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/**
 * Opens `url` in a new browser context (a fresh cookie jar) at a desktop size. `prepare` runs on the
 * context first (to sign in through its request API); a script error on the page fails the test.
 */
export async function openPage(
  browser: Browser,
  url: string,
  options: { bypassCSP?: boolean; prepare?: (context: BrowserContext) => Promise<void> } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    bypassCSP: options.bypassCSP ?? false,
  });
  await options.prepare?.(context);
  const page = await context.newPage();
  page.on("pageerror", (err) => {
    throw err;
  });
  await page.goto(url);
  return page;
}

import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

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

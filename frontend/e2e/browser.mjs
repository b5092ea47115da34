import { chromium } from 'playwright-core';

/**
 * Launches the system Chromium (Debian's package) for browser tests against the running stack.
 * playwright-core never downloads a browser; set CHROMIUM_PATH if it is not at the default path.
 */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

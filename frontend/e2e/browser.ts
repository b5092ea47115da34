import { chromium, type Browser } from 'playwright-core';

/**
 * Launches the system Chromium for browser tests against the running stack. playwright-core
 * never downloads a browser; point CHROMIUM_PATH elsewhere if it is not at the default path.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

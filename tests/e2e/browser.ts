// The browser for the e2e tests: Debian's Chromium (installed by .ci/run) through playwright-core.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type FrameLocator, type Page } from "playwright-core";
import { ROOT } from "../../tools/demo/stack";

export const SCREENSHOTS = path.join(ROOT, "test-results/screenshots");

// Headless Chromium says "HeadlessChrome", which the Shopify library (isbot) answers with 410 Gone.
const USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

export async function openBrowser(): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-gpu",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, userAgent: USER_AGENT });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  return { browser, context, page };
}

export const appFrame = (page: Page): FrameLocator => page.frameLocator('[data-testid="app-iframe"]');

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

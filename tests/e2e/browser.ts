// The browser for the e2e tests: Debian's Chromium (installed by .ci/run) through playwright-core.
//
// Every browser opened here is watched: a console error, an uncaught page error, a failed request or
// an answer of 400 or more, in the shell or the app frame, fails the test that was running — a page
// that "works" while logging React's hydration error is not working. The one standing exception is
// the Polaris fonts on Shopify's CDN, which an offline machine cannot load. A test that provokes a 4xx
// on purpose says so with allowBrowserProblems(), which lasts for that test only.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type FrameLocator, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import { ROOT, startStack, type Stack } from "../../tools/demo/stack";

export const SCREENSHOTS = path.join(ROOT, "test-results/screenshots");

// Headless Chromium says "HeadlessChrome", which the Shopify library (isbot) answers with 410 Gone.
const USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

/** Polaris' stylesheet loads Inter from Shopify's CDN; offline, those requests fail and log errors. */
const ALWAYS_ALLOWED = [/^https:\/\/cdn\.shopify\.com\/static\/fonts\//];

const problems: string[] = [];
let allowedThisTest: RegExp[] = [];

/** Lets the running test's page get problems matching `patterns` (a 4xx it provokes on purpose). */
export function allowBrowserProblems(...patterns: RegExp[]): void {
  allowedThisTest.push(...patterns);
}

/** The problems seen so far in the running test (also checked after each test). */
export function browserProblems(): string[] {
  return [...problems];
}

function report(problem: string, url: string | undefined): void {
  const allowed = [...ALWAYS_ALLOWED, ...allowedThisTest];
  if (allowed.some((pattern) => pattern.test(url ?? "") || pattern.test(problem))) return;
  problems.push(problem);
}

function watch(context: BrowserContext): void {
  context.on("page", (page) => watchPage(page));
  for (const page of context.pages()) watchPage(page);
}

function watchPage(page: Page): void {
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const at = message.location().url;
    report(`console error: ${message.text()}${at ? ` (at ${at})` : ""} on ${page.url()}`, at);
  });
  page.on("pageerror", (error) => report(`page error: ${error.message} on ${page.url()}`, undefined));
  page.on("requestfailed", (request) => {
    const failure = request.failure()?.errorText ?? "failed";
    // Leaving a page cancels what it still had in flight, and a download is handed off by aborting
    // its navigation: both are ERR_ABORTED and neither is a fault of the page.
    if (failure === "net::ERR_ABORTED") return;
    report(`request failed (${failure}): ${request.method()} ${request.url()}`, request.url());
  });
  page.on("response", (response) => {
    if (response.status() >= 400) {
      report(`${response.status()} answer: ${response.request().method()} ${response.url()}`, response.url());
    }
  });
}

beforeEach(() => {
  problems.length = 0;
  allowedThisTest = [];
});

afterEach(() => {
  const seen = [...problems];
  problems.length = 0;
  expect(seen, "console errors and failed requests in the browser").toEqual([]);
});

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
  watch(context);
  const page = await context.newPage();
  return { browser, context, page };
}

export const appFrame = (page: Page): FrameLocator => page.frameLocator('[data-testid="app-iframe"]');

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * A test file's stack (`npm run demo`'s, tools/demo/stack.ts) and browser: started before the file's
 * tests (the store installed and fully synced unless `install` is false; `beforeInstall` runs first),
 * stopped after them. `name` keeps each file's database and logs apart.
 */
export function browserOnStack(
  name: string,
  options: {
    shop?: string;
    products: number;
    orders: number;
    install?: boolean;
    beforeInstall?: (stack: Stack) => Promise<void>;
  },
  onReady: (ready: { stack: Stack; page: Page }) => void,
): void {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    stack = await startStack({
      shop: options.shop,
      products: options.products,
      orders: options.orders,
      databaseFile: `prisma/e2e-${name}.sqlite`,
      logDir: `test-results/e2e-${name}-logs`,
      log: () => undefined,
    });
    await options.beforeInstall?.(stack);
    if (options.install !== false) {
      await stack.install();
      await stack.waitForSyncs({ timeoutMs: 180_000 });
    }
    const opened = await openBrowser();
    browser = opened.browser;
    onReady({ stack, page: opened.page });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
}

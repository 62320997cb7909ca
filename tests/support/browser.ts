import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

/** Where screenshots go (git-ignored): look at them to see what an auditor sees. */
export const ARTIFACTS = join(import.meta.dirname, "..", "artifacts");

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it): Playwright cannot download one here. */
export const CHROMIUM = process.env.LEDGER_CHROMIUM ?? "/usr/bin/chromium";

export type Recorded = { readonly method: string; readonly url: string };

/**
 * A headless Chromium with one page, and every request that page makes, recorded in order, so
 * that a test can say what the page asked of the server (and that it asked nothing of anyone else).
 */
export async function openBrowser(): Promise<{ browser: Browser; page: Page; requests: Recorded[] }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set LEDGER_CHROMIUM)`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
  const requests: Recorded[] = [];
  page.on("request", (request) => requests.push({ method: request.method(), url: request.url() }));
  return { browser, page, requests };
}

/** Saves a full-page screenshot under tests/artifacts/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { onTestFailed } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const STEP_MS = 15_000;

/**
 * Debian's Chromium, headless. The background-networking flags keep it from dialling Google on a
 * machine with no outside network.
 */
export async function openConsolePage(): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  page.setDefaultTimeout(STEP_MS);
  return { browser, page };
}

/** A failing step leaves a screenshot behind to look at. */
export function screenshotOnFailure(page: () => Page, name: string): void {
  onTestFailed(async () => {
    const dir = join(tmpdir(), 'clearlane-e2e');
    mkdirSync(dir, { recursive: true });
    await page().screenshot({ path: join(dir, `${name}.png`), fullPage: true }).catch(() => undefined);
  });
}

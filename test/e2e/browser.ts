import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
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

/** Signs in through the login page and waits to leave it. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** A text matched whole, not as a part of a longer one. */
export const exactly = (text: string) => new RegExp(`^${text}$`);

/** The value of an antd Descriptions item (bordered: th + td; plain: two spans), by its label. */
export function described(scope: Locator, label: string): Locator {
  return scope
    .locator('.ant-descriptions-item-label')
    .filter({ hasText: exactly(label) })
    .locator('xpath=following-sibling::*[contains(concat(" ", @class, " "), " ant-descriptions-item-content ")][1]');
}

/** An antd Statistic's number (thousands separators dropped); NaN while it still loads. */
export async function statisticValue(scope: Locator): Promise<number> {
  const value = scope.locator('.ant-statistic-content-value');
  if ((await value.count()) === 0) return Number.NaN;
  return Number(((await value.textContent()) ?? '').replace(/,/g, ''));
}

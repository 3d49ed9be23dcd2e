// The web console end to end, in headless Chromium against a fresh server with demo data:
// an admin builds a squadron, an officer in it and the officer's account; the officer then signs in,
// must change the initial password, and cannot reach the admin pages.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from './server.ts';
import { openConsolePage, screenshotOnFailure } from './browser.ts';

const ADMIN_PASSWORD = process.env.DEMO_PASSWORD ?? 'Clearlane@2026';

const suffix = Date.now().toString(36).slice(-5).toUpperCase();
const squadron = `测试中队${suffix}`;
const officer = { name: `张测${suffix}`, badgeNo: `T${suffix}`, username: `e2e_${suffix.toLowerCase()}` };
const initialPassword = 'Init#Pass2026x';
const newPassword = 'Chg#Pass2026y';

let server: { url: string; close(): Promise<void> };
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startTestServer();
  ({ browser, page } = await openConsolePage());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
}, 60_000);

async function login(username: string, password: string): Promise<void> {
  await page.goto(`${server.url}/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/**
 * Picks an entry of an antd Select / TreeSelect (by its input id): opens it, types to search, clicks
 * the match, and checks the field now shows it; a click lost to the popup's animation is retried.
 */
async function pick(inputId: string, search: string, optionText: string | RegExp, shown: string): Promise<void> {
  const input = page.locator(`#${inputId}`);
  const field = page.locator('.ant-form-item').filter({ has: input });
  for (let attempt = 1; ; attempt++) {
    await input.click();
    await input.fill(search);
    await page
      .locator('.ant-select-dropdown:visible')
      .locator('.ant-select-item-option, .ant-select-tree-treenode')
      .filter({ hasText: optionText })
      .first()
      .click();
    try {
      await expect.poll(() => field.textContent(), { timeout: 3_000 }).toContain(shown);
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

describe('web console: admin sets up an officer, the officer is confined', () => {
  it('admin signs in and adds a squadron under the brigade', async () => {
    screenshotOnFailure(() => page, '1-squadron');
    await login('admin', ADMIN_PASSWORD);
    await page.goto(`${server.url}/org/units`);
    await page.locator('.ant-tree-title').filter({ hasText: /大队$/ }).first().click();
    await page.getByRole('button', { name: '新增下级单位' }).click();

    const dialog = page.getByRole('dialog').filter({ visible: true });
    await dialog.locator('#name').fill(squadron);
    await dialog.locator('#kind').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '中队' }).click();
    await dialog.getByRole('button', { name: '保存' }).click();

    await expect.poll(() => page.locator('.ant-tree-title').filter({ hasText: squadron }).count()).toBe(1);
  });

  it('admin adds a police officer to the squadron', async () => {
    screenshotOnFailure(() => page, '2-officer');
    await page.goto(`${server.url}/org/personnel`);
    await page.getByRole('button', { name: '新增人员' }).click();

    const drawer = page.getByRole('dialog').filter({ visible: true });
    await drawer.locator('#name').fill(officer.name);
    await drawer.locator('#badgeNo').fill(officer.badgeNo);
    await drawer.getByRole('radio', { name: '民警' }).check();
    await pick('unitId', squadron, squadron, squadron);
    await drawer.getByRole('button', { name: '保存' }).click();
    await drawer.waitFor({ state: 'hidden' });

    await page.locator('#filter_q').fill(officer.badgeNo);
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.locator('.ant-table-row').filter({ hasText: officer.badgeNo }).count()).toBe(1);
  });

  it('admin gives the officer an account with the 民警 role', async () => {
    screenshotOnFailure(() => page, '3-account');
    await page.goto(`${server.url}/org/accounts`);
    await page.getByRole('button', { name: '新增账号' }).click();

    const dialog = page.getByRole('dialog').filter({ visible: true });
    await pick('personId', officer.badgeNo, officer.name, officer.name);
    await dialog.locator('#username').fill(officer.username);
    await pick('roles', '民警', /^民警$/, '民警');
    await dialog.locator('#password').fill(initialPassword);
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await expect.poll(() => page.locator('.ant-table-row').filter({ hasText: officer.username }).count()).toBe(1);
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL((u) => u.pathname === '/login');
  });

  it('the officer must change the initial password first', async () => {
    screenshotOnFailure(() => page, '4-password');
    await login(officer.username, initialPassword);
    await page.waitForURL((u) => u.pathname === '/change-password');

    await page.locator('#oldPassword').fill(initialPassword);
    await page.locator('#newPassword').fill(newPassword);
    await page.locator('#confirmPassword').fill(newPassword);
    await page.getByRole('button', { name: '确认修改' }).click();
    await page.waitForURL((u) => u.pathname !== '/change-password');
    await expect.poll(() => page.getByTestId('current-user').textContent()).toContain(officer.name);
  });

  it('the officer sees no admin menu entries and gets 403 on admin pages', async () => {
    screenshotOnFailure(() => page, '5-forbidden');
    const menu = page.getByRole('navigation', { name: '主菜单' });
    await expect.poll(() => menu.textContent()).toContain('人员管理');
    const menuText = (await menu.textContent()) ?? '';
    for (const entry of ['账号管理', '角色权限', '组织机构', '在线用户', '接口令牌', '登录日志', '审计账本']) {
      expect(menuText).not.toContain(entry);
    }

    for (const path of ['/org/accounts', '/org/roles']) {
      await page.goto(`${server.url}${path}`);
      const result = page.locator('.ant-result-403');
      await result.waitFor({ state: 'visible' });
      expect(await result.textContent()).toContain('无权访问');
      expect(await page.getByRole('navigation', { name: '主菜单' }).textContent()).not.toContain('账号管理');
    }
  });
}, 240_000);

describe('web console on a phone (390 px)', () => {
  const fitsWidth = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

  it('the signed-in frame and the login page fit the screen; the header keeps its actions', async () => {
    screenshotOnFailure(() => page, '6-phone');
    // still signed in as the officer from the steps above
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId('current-user').textContent()).toContain(officer.name);
    expect(await fitsWidth()).toBe(true);
    // icon-only buttons keep their names for screen readers and for the person holding the phone
    expect(await page.getByRole('button', { name: '修改密码' }).textContent()).toBe('');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    await page.locator('#username').waitFor();
    expect(await fitsWidth()).toBe(true);
  });
}, 120_000);

// Devices end to end, in headless Chromium against a fresh server with the demo brigade: the legal
// officer (法制员) opens 设备台账, finds a red-light camera lawful today and suspends it with a reason
// and document; a camera record from it, sent through the batch API, is held by R-DEVICE-LAWFUL
// naming the missing condition, which she reads in 执法记录 and in the device's list of captures
// made while it was not lawful; signed out, the public device page
// lists the announced devices without a login — and no longer the suspended one. An officer (民警)
// neither sees 设备台账 nor opens it.
import { createHash } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device, PublicDevice } from '../../src/contracts/devices.ts';
import { startTestServer } from './server.ts';
import { described, openConsolePage, screenshotOnFailure, signIn, STEP_MS, exactly } from './browser.ts';

const PASSWORD = process.env.DEMO_PASSWORD ?? 'Clearlane@2026';
const REASON = '计量与线圈故障待检修';
const DOCUMENT_NO = '清公交设〔2026〕E2E号';
const PLATE = '苏A7E2D5';
const HOUR = 3_600_000;
const beijingDay = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);

let server: { url: string; close(): Promise<void> };
let browser: Browser;
let page: Page;
/** the device the test suspends: an active red-light camera lawful today */
let device: Device;
let publicBefore: PublicDevice[];
/** the Beijing day the suspension starts (the status dialog's default) */
let suspendedFrom: string;

const patiently = { timeout: STEP_MS };
const menu = () => page.getByRole('navigation', { name: '主菜单' });
const dialog = () => page.getByRole('dialog').filter({ visible: true });
const rows = () => page.getByRole('main').locator('.ant-table-row');


async function login(username: string): Promise<void> {
  await signIn(page, server.url, username, PASSWORD);
}

/** A JSON request with the page's session (and its CSRF token for writes). */
async function inPage<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (method !== 'GET') {
        const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
        headers['x-csrf-token'] = me.csrfToken;
        headers['content-type'] = 'application/json';
      }
      const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as T };
    },
    { method, path, body },
  );
}

beforeAll(async () => {
  server = await startTestServer();
  ({ browser, page } = await openConsolePage());
  const res = await fetch(`${server.url}/api/public/devices`);
  expect(res.status).toBe(200);
  publicBefore = ((await res.json()) as { items: PublicDevice[] }).items;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
}, 60_000);

describe('设备台账: a suspended camera’s captures are held, and it leaves the public list', () => {
  it('the 法制员 finds a lawful red-light camera in 设备台账 and opens its detail', async () => {
    screenshotOnFailure(() => page, 'devices-1-list');
    await login('legal');
    const found = await inPage<{ items: Device[] }>('GET', '/api/devices?type=redLight&status=active&unlawfulToday=false&pageSize=50');
    expect(found.status).toBe(200);
    // one the public list shows (announced, fixed), so its leaving the list can be seen
    const listed = new Set(publicBefore.map((d) => d.description));
    device = found.body.items.find((d) => d.location.description && listed.has(d.location.description))!;
    expect(device).toBeDefined();

    await menu().getByRole('link', { name: '设备台账' }).click();
    await page.waitForURL((u) => u.pathname === '/enforcement/devices');
    await page.locator('#filter_q').fill(device.id);
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(async () => (await rows().allTextContents()).join('|'), patiently).toContain(device.id);
    const row = rows().filter({ hasText: device.id });
    expect(await row.getByTestId('lawful-tag').textContent()).toBe('今日合法');

    await row.getByRole('button', { name: '详情' }).click();
    const drawer = dialog().filter({ has: page.getByTestId('device-detail') });
    await drawer.waitFor();
    expect(await described(drawer, '状态').textContent()).toBe('启用');
    expect(await drawer.getByTestId('device-lawfulness').textContent()).toContain('今日合法');
    expect(await drawer.getByTestId('device-timeline').textContent()).toContain('法制审核通过');
  });

  it('suspends it with a reason and document; the detail then says why it is not lawful', async () => {
    screenshotOnFailure(() => page, 'devices-2-suspend');
    const drawer = dialog().filter({ has: page.getByTestId('device-detail') });
    await drawer.getByRole('button', { name: '变更状态' }).click();
    const modal = dialog().filter({ hasText: `变更状态：${device.id}` });
    await modal.waitFor();
    await modal.getByLabel('停用').check();
    suspendedFrom = (await modal.locator('#device-status_from').inputValue()).trim();
    expect(suspendedFrom).toBe(beijingDay(Date.now()));
    expect(await modal.textContent()).toContain('本设备的抓拍均转入待审核');
    await modal.getByLabel('原因').fill(REASON);
    await modal.getByLabel('依据文号').fill(DOCUMENT_NO);
    await modal.getByRole('button', { name: '保存' }).click();
    await page.locator('.ant-message').getByText('状态已变更').waitFor();
    await modal.waitFor({ state: 'hidden' });

    const lawfulness = drawer.getByTestId('device-lawfulness');
    await expect.poll(() => lawfulness.textContent(), patiently).toContain('今日不合法');
    expect(await lawfulness.textContent()).toContain(`设备状态：设备自${suspendedFrom}起停用（${REASON}）`);
    expect(await described(drawer, '状态').textContent()).toBe('停用');
    const timeline = (await drawer.getByTestId('device-timeline').textContent()) ?? '';
    expect(timeline).toContain(`${suspendedFrom} 状态：停用`);
    expect(timeline).toContain(DOCUMENT_NO);
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });
    // the list row says so too
    await expect.poll(() => rows().filter({ hasText: device.id }).getByTestId('lawful-tag').textContent(), patiently).toBe('今日不合法');
  });

  it('a camera record from it is held by R-DEVICE-LAWFUL, and 执法记录 shows the reason with the missing condition', async () => {
    screenshotOnFailure(() => page, 'devices-3-held');
    const code = device.allowedCodes[0]!;
    const sha = createHash('sha256').update('e2e-device.jpg').digest('hex');
    const sent = await inPage<{ results: Array<{ outcome?: string; recordId?: number; reasons?: Array<{ rule: string }>; errors?: unknown }> }>(
      'POST',
      '/api/enforcement/records/batch',
      {
        records: [
          {
            externalId: `E2E-DEV-${Date.now().toString(36)}`,
            kind: 'camera',
            plate: PLATE,
            vehicleType: 'smallPassenger',
            violationCode: code,
            occurredAt: new Date().toISOString(),
            place: { road: device.location.road, description: device.location.description },
            deviceId: device.id,
            evidence: [{ kind: 'photo', ref: 'e2e-device.jpg', sha256: sha }],
          },
        ],
      },
    );
    expect(sent.status).toBe(200);
    const result = sent.body.results[0]!;
    expect(result.errors).toBeUndefined();
    expect(result.outcome).toBe('held');
    expect(result.reasons!.map((r) => r.rule)).toContain('R-DEVICE-LAWFUL');

    await menu().getByRole('link', { name: '执法记录' }).click();
    await page.waitForURL((u) => u.pathname === '/enforcement/records');
    await page.locator('#filter_plate').fill(PLATE);
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(async () => (await rows().allTextContents()).join('|'), patiently).toContain(PLATE);
    const row = rows().filter({ hasText: PLATE });
    expect(await row.locator('.ant-tag').allTextContents()).toEqual(expect.arrayContaining(['待审核', '设备合法性']));

    await row.getByRole('button', { name: '详情' }).click();
    const drawer = dialog().filter({ has: page.getByTestId('record-detail') });
    await drawer.waitFor();
    expect(await described(drawer, '结果').textContent()).toBe('待审核');
    expect(await described(drawer, '设备').textContent()).toBe(device.id);
    const reason = drawer.locator('.ant-card').filter({ has: page.locator('.ant-tag', { hasText: exactly('R-DEVICE-LAWFUL') }) });
    expect(await reason.count()).toBe(1);
    expect(await reason.locator('.ant-card-head').textContent()).toContain('设备合法性');
    const text = (await reason.textContent()) ?? '';
    expect(text).toContain(`设备${device.id}在抓拍时（${suspendedFrom}）不符合合法使用条件：设备状态——设备自${suspendedFrom}起停用（${REASON}）`);
    expect(await described(reason, '法律依据').textContent()).toMatch(/《(道路交通安全违法行为处理程序规定|行政处罚法)》/);
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });

    // the device's own view of what it captured while not lawful lists it, with the condition
    await page.goto(`${server.url}/enforcement/devices?device=${encodeURIComponent(device.id)}`);
    const affected = page.getByTestId('device-affected');
    await affected.waitFor();
    const listed = affected.locator('.ant-table-row').filter({ hasText: PLATE });
    await expect.poll(() => listed.count(), patiently).toBe(1);
    expect(await listed.locator('.ant-tag').allTextContents()).toEqual(['待审核', '设备状态']);
    const deviceDrawer = dialog().filter({ has: page.getByTestId('device-detail') });
    await deviceDrawer.locator('.ant-drawer-close').click();
    await deviceDrawer.waitFor({ state: 'hidden' });
  });

  it('signed out, the public device page opens from the login page and lists announced devices — not the suspended one', async () => {
    screenshotOnFailure(() => page, 'devices-4-public');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    await page.getByRole('link', { name: '交通技术监控设备设置地点公示' }).click();
    await page.waitForURL((u) => u.pathname === '/public/devices');
    // exactly the devices listed before, but the suspended one
    const others = publicBefore.filter((d) => d.description !== device.location.description);
    expect(others).toHaveLength(publicBefore.length - 1);
    const count = page.getByTestId('public-devices-count');
    await expect.poll(() => count.textContent(), patiently).toBe(`共 ${others.length} 处`);
    expect(page.url()).toBe(`${server.url}/public/devices`);
    expect(await page.getByTestId('public-devices-intro').textContent()).toContain('第十六条');
    const texts = await page.getByTestId('public-devices').locator('.public-device').allTextContents();
    expect(texts).toHaveLength(others.length);
    expect(texts.some((t) => t.includes(device.location.description!))).toBe(false);
    for (const d of others) expect(texts.some((t) => t.includes(d.road) && t.includes(d.description ?? '') && t.includes(`公告日期：${d.announcedOn}`))).toBe(true);

    // a fresh visit by direct link, with no session at all, stays on the page
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const phone = await context.newPage();
    await phone.goto(`${server.url}/public/devices`);
    await phone.getByTestId('public-devices-count').waitFor({ timeout: STEP_MS });
    expect(await phone.getByTestId('public-devices-count').textContent()).toBe(`共 ${others.length} 处`);
    expect(new URL(phone.url()).pathname).toBe('/public/devices');
    await context.close();
  });
});

describe('设备台账 is not an officer’s page', () => {
  it('an officer (民警) sees no 设备台账 in the menu, and the address shows 无权访问', async () => {
    screenshotOnFailure(() => page, 'devices-5-officer');
    await login('officer');
    await expect.poll(() => menu().textContent(), patiently).toContain('执法记录');
    expect(await menu().textContent()).not.toContain('设备台账');
    await page.goto(`${server.url}/enforcement/devices`);
    const result = page.locator('.ant-result-403');
    await result.waitFor({ state: 'visible' });
    expect(await result.textContent()).toContain('无权访问');
  });
});

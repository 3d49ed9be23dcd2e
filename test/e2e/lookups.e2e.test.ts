// 查询审计 end to end, in headless Chromium against a fresh server with demo data: the inspector
// (督察) imports a look-up log in which one officer's account looked up 30 different plates within
// eight minutes (a bulk seller) among a few ordinary look-ups, finds the officer's L-BULK alert,
// sends an explanation request from it; the officer answers under 我的说明; the inspector accepts
// the answer under 说明核查, and the alert is resolved.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { described, openConsolePage, screenshotOnFailure, signIn, statisticValue, STEP_MS, exactly } from './browser.ts';
import { startTestServer } from './server.ts';

const PASSWORD = process.env.DEMO_PASSWORD ?? 'Clearlane@2026';
// the demo brigade's 民警 (src/demo/org.demo.ts): username `officer`, 警号 050007, 一中队
const SELLER = { username: 'officer', badgeNo: '050007', name: '郑宇航' };
const INSPECTOR = { username: 'inspector', name: '吴海峰' };
const BULK_PLATES = 30; // L-BULK's default: 25 distinct subjects within 10 minutes
const QUESTION = '请说明当日短时间内查询30个不同号牌的事由及查询结果去向。';
const ANSWER = '当日协助事故科核对套牌嫌疑车辆，查询清单由事故科提供，结果未外传。';
const ACCEPT_NOTE = '经向事故科核实，情况属实';

const MINUTE = 60_000;
/** 'YYYY-MM-DD HH:mm:ss' in Beijing time (UTC+8, no daylight saving), as the brigade's systems write. */
const beijing = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

let server: { url: string; close(): Promise<void> };
let browser: Browser;
let page: Page;
let workDir: string;
let csvPath: string;
let csvRows = 0;
let alertId = 0;
/** the seller's last look-up: its external id and plate in the clear */
let lastBulk = { externalId: '', plate: '', from: '', to: '' };

// the template's own headers (GET /api/lookups/template), as a brigade's export would carry them
const COLUMNS = {
  externalId: '外部编号',
  at: '查询时间',
  account: '查询账号',
  certificateId: '数字证书编号',
  terminalId: '终端编号',
  terminalIp: '终端IP',
  queryType: '查询类型',
  plate: '号牌号码',
  name: '姓名',
  purposeCategory: '查询事由类别',
  purposeText: '查询事由',
} as const;
type Row = Partial<Record<keyof typeof COLUMNS, string>>;

beforeAll(async () => {
  server = await startTestServer();
  ({ browser, page } = await openConsolePage());
  workDir = mkdtempSync(join(tmpdir(), 'clearlane-e2e-lookups-'));
  csvPath = join(workDir, 'lookups.csv');
  const run = Date.now().toString(36).toUpperCase();
  const start = Date.now() - 40 * MINUTE;
  const rows: Row[] = [];
  // the bulk seller: 30 distinct plates, one every 16 seconds, no purpose given
  for (let i = 0; i < BULK_PLATES; i++) {
    rows.push({
      externalId: `E2E-LK-${run}-B${i}`,
      at: beijing(start + i * 16_000),
      account: SELLER.badgeNo,
      certificateId: `CERT-${SELLER.badgeNo}`,
      terminalId: 'T-SQ1-07',
      terminalIp: '10.32.1.57',
      queryType: '机动车信息',
      plate: `苏E${LETTERS[i % LETTERS.length]}${String(3000 + i * 137).slice(-4)}`,
    });
  }
  // ordinary look-ups by three other people: one each, with a purpose
  for (const [i, account] of ['050100', '050101', '050102'].entries()) {
    rows.push({
      externalId: `E2E-LK-${run}-N${i}`,
      at: beijing(start + (i + 1) * 5 * MINUTE),
      account,
      certificateId: `CERT-${account}`,
      terminalId: `T-N-${i}`,
      terminalIp: `10.32.2.${10 + i}`,
      queryType: '驾驶人信息',
      name: '李某',
      purposeCategory: '路面检查',
      purposeText: '路面检查核对驾驶人',
    });
  }
  const cell = (v: string | undefined) => (v === undefined ? '' : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const keys = Object.keys(COLUMNS) as (keyof typeof COLUMNS)[];
  const lines = [keys.map((k) => COLUMNS[k]).join(','), ...rows.map((r) => keys.map((k) => cell(r[k])).join(','))];
  writeFileSync(csvPath, `${lines.join('\r\n')}\r\n`, 'utf8');
  csvRows = rows.length;
  const last = rows[BULK_PLATES - 1]!;
  lastBulk = { externalId: last.externalId!, plate: last.plate!, from: new Date(start - MINUTE).toISOString(), to: new Date(start + 10 * MINUTE).toISOString() };
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}, 60_000);

async function login(username: string): Promise<void> {
  await signIn(page, server.url, username, PASSWORD);
}

async function logout(): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL((u) => u.pathname === '/login');
}

const menu = () => page.getByRole('navigation', { name: '主菜单' });
const dialog = () => page.getByRole('dialog').filter({ visible: true });
const rows = () => page.getByRole('main').locator('.ant-table-row');
const patiently = { timeout: STEP_MS };

async function openFromMenu(label: string, path: string, ready: () => Locator): Promise<void> {
  await menu().getByRole('link', { name: label, exact: true }).click();
  await page.waitForURL((u) => u.pathname === path);
  await ready().waitFor();
}



describe('查询审计: a bulk seller found, asked, answered and cleared', () => {
  it('the inspector imports the look-up log from 查询审计 · 概览', async () => {
    screenshotOnFailure(() => page, 'lookups-1-import');
    await login(INSPECTOR.username);
    expect(await page.getByTestId('current-user').textContent()).toContain(INSPECTOR.name);
    await openFromMenu('概览', '/lookups/overview', () => page.getByTestId('lookup-overview'));
    await page.getByRole('button', { name: '导入查询日志' }).click();
    const modal = dialog().filter({ hasText: '导入数据查询日志' });
    await modal.waitFor();
    await modal.locator('input[type="file"]').setInputFiles(csvPath);
    await modal.getByText('lookups.csv').waitFor();
    await modal.getByRole('button', { name: '开始导入' }).click();

    const report = modal.getByTestId('import-report');
    await report.waitFor(patiently);
    const stat = (title: string) => statisticValue(report.locator('.ant-statistic').filter({ has: page.locator('.ant-statistic-title', { hasText: exactly(title) }) }));
    expect(await stat('总行数')).toBe(csvRows);
    expect(await stat('新增')).toBe(csvRows);
    expect(await stat('未导入')).toBe(0);
    // the seller gave no purpose for any of the 30
    expect(await stat('无正当事由')).toBeGreaterThanOrEqual(BULK_PLATES);
    expect(await report.textContent()).toContain('导入完成');
    await modal.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
    await modal.waitFor({ state: 'hidden' });
    // the overview counts them
    await expect.poll(() => statisticValue(page.getByTestId('lookups-total')), patiently).toBeGreaterThanOrEqual(csvRows);
  });

  it('查询记录 shows the subject masked; the full plate only after confirming the ledgered read', async () => {
    screenshotOnFailure(() => page, 'lookups-1b-reveal');
    const id = await page.evaluate(async (q) => {
      const res = await fetch(`/api/lookups?account=${q.account}&from=${encodeURIComponent(q.from)}&to=${encodeURIComponent(q.to)}&pageSize=100`);
      const items = ((await res.json()) as { items: Array<{ id: number; externalId: string }> }).items;
      return items.find((l) => l.externalId === q.externalId)?.id;
    }, { account: SELLER.badgeNo, ...lastBulk });
    expect(id).toBeGreaterThan(0);
    await page.goto(`${server.url}/lookups/records?id=${id}`);
    const drawer = dialog().filter({ has: page.getByTestId('lookup-detail') });
    await drawer.waitFor(patiently);
    const masked = (await drawer.getByTestId('lookup-subject').textContent()) ?? '';
    expect(masked).not.toContain(lastBulk.plate);
    expect(masked).toMatch(/^苏E.*\*/);
    expect(await described(drawer, '核验结果').textContent()).toContain('未填写查询事由');
    await drawer.getByRole('button', { name: '查看完整信息' }).click();
    const confirm = dialog().filter({ hasText: '查询对象完整信息' }).filter({ hasText: '审计账本' });
    await confirm.getByRole('button', { name: '确认查看' }).click();
    const full = dialog().filter({ hasText: '本次查看已记入审计账本' });
    await full.waitFor(patiently);
    expect(await described(full, '号牌').textContent()).toBe(lastBulk.plate);
    await full.getByRole('button', { name: '关闭' }).click();
    await full.waitFor({ state: 'hidden' });
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });
  });

  it('the seller’s L-BULK alert is listed under 告警, and its drawer sends an explanation request', async () => {
    screenshotOnFailure(() => page, 'lookups-2-alert');
    await openFromMenu('告警', '/alerts', () => page.getByRole('main').locator('.ant-tabs'));
    // the seller's alerts (the keyword matches the subject); detection runs right after the import's
    // commit without holding up its answer, so ask again until L-BULK shows
    await page.locator('#filter_q').fill(SELLER.name);
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: '查询' }).click();
        await page.waitForLoadState('networkidle');
        return rows().filter({ hasText: 'L-BULK' }).count();
      }, { timeout: 30_000, interval: 1000 })
      .toBeGreaterThan(0);
    const row = rows().filter({ hasText: 'L-BULK' });
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain(SELLER.name);
    await row.locator('a').first().click();
    const drawer = dialog().filter({ has: page.locator('.ant-drawer-title', { hasText: /告警 #\d+/ }) });
    await drawer.waitFor();
    alertId = Number(/告警 #(\d+)/.exec((await drawer.locator('.ant-drawer-title').textContent()) ?? '')?.[1]);
    expect(alertId).toBeGreaterThan(0);
    expect(await described(drawer, '规则').textContent()).toBe('L-BULK');
    expect(await described(drawer, '对象').textContent()).toContain(SELLER.name);

    await drawer.getByRole('button', { name: '发起说明核查' }).click();
    const ask = dialog().filter({ hasText: '需要说明的问题' });
    await ask.waitFor();
    expect(await ask.textContent()).toContain(`告警 #${alertId}`);
    await ask.locator('#question').fill(QUESTION);
    await ask.getByRole('button', { name: /^发\s*送$/ }).click();
    await page.locator('.ant-message').getByText(`已向${SELLER.name}发起说明核查`).waitFor();
    await ask.waitFor({ state: 'hidden' });
    // one open request per alert: the drawer now leads to it instead
    await drawer.getByRole('button', { name: /说明核查 #\d+（待说明）/ }).waitFor(patiently);
    expect(await drawer.getByRole('button', { name: '发起说明核查' }).count()).toBe(0);
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });
  });

  it('the officer answers it under 我的说明, on a phone', async () => {
    screenshotOnFailure(() => page, 'lookups-3-answer');
    await logout();
    await login(SELLER.username);
    // an officer sees 我的说明 and none of the inspectors' pages
    await expect.poll(() => menu().textContent(), patiently).toContain('我的说明');
    const menuText = (await menu().textContent()) ?? '';
    for (const hidden of ['概览', '查询记录', '对象追查', '关注名单', '说明核查']) expect(menuText).not.toContain(hidden);

    await openFromMenu('我的说明', '/my/explanations', () => page.getByTestId('my-explanations'));
    const row = rows().filter({ hasText: `#${alertId} L-BULK` });
    await expect.poll(() => row.count(), patiently).toBe(1);
    expect(await row.textContent()).toContain('待说明');
    // officers read it on their phones: there the same request is a card
    await page.setViewportSize({ width: 390, height: 844 });
    const card = page.getByTestId('my-explanation-card').filter({ hasText: QUESTION });
    await expect.poll(() => card.count(), patiently).toBe(1);
    await card.getByRole('button', { name: '填写说明' }).click();
    const drawer = dialog().filter({ has: page.getByTestId('explanation-detail') });
    await drawer.waitFor();
    expect(await drawer.textContent()).toContain(QUESTION);
    expect(await drawer.getByText(`涉及的查询记录（${BULK_PLATES}）`).count()).toBe(1);
    await drawer.locator('#answer').fill(ANSWER);
    await drawer.getByRole('button', { name: '提交说明' }).click();
    await page.locator('.ant-message').getByText('说明已提交').waitFor();
    await drawer.getByTestId('explanation-answer').waitFor();
    expect(await drawer.getByTestId('explanation-answer').textContent()).toBe(ANSWER);
    expect(await drawer.locator('.ant-tag').first().textContent()).toBe('已说明');
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('the inspector accepts the answer under 说明核查; the alert is resolved', async () => {
    screenshotOnFailure(() => page, 'lookups-4-accept');
    await logout();
    await login(INSPECTOR.username);
    await openFromMenu('说明核查', '/lookups/explanations', () => page.getByTestId('explanations-inbox'));
    // 待认定 is the first tab: answered requests wait there
    const row = rows().filter({ hasText: `#${alertId} L-BULK` });
    await expect.poll(() => row.count(), patiently).toBe(1);
    expect(await row.textContent()).toContain(SELLER.name);
    expect(await row.textContent()).toContain('已说明');
    await row.getByRole('button', { name: '处理' }).click();
    const drawer = dialog().filter({ has: page.getByTestId('explanation-detail') });
    await drawer.waitFor();
    expect(await drawer.getByTestId('explanation-answer').textContent()).toBe(ANSWER);
    await drawer.getByRole('button', { name: '认可说明' }).click();
    const confirm = dialog().filter({ hasText: '认定意见' });
    await confirm.locator('textarea').fill(ACCEPT_NOTE);
    await confirm.getByRole('button', { name: /确\s*定/ }).click();
    await page.locator('.ant-message').getByText('已认可，关联告警已办结').waitFor();
    await expect.poll(() => drawer.locator('.ant-tag').first().textContent(), patiently).toBe('已认可');
    expect(await described(drawer, '意见').textContent()).toBe(ACCEPT_NOTE);

    // the alert, opened from the request, is 已办结
    await drawer.getByRole('link', { name: new RegExp(`#${alertId}`) }).click();
    await page.waitForURL((u) => u.pathname === '/alerts');
    const alertDrawer = dialog().filter({ has: page.locator('.ant-drawer-title', { hasText: `告警 #${alertId}` }) });
    await alertDrawer.waitFor(patiently);
    await expect.poll(() => described(alertDrawer, '状态').textContent(), patiently).toContain('已办结');
    await alertDrawer.locator('.ant-drawer-close').click();
    await alertDrawer.waitFor({ state: 'hidden' });
  });
});

describe('查询审计 in a squadron leader’s scope', () => {
  it('sees the overview and his squadron’s look-ups only; the subject view and inspectors’ pages are not his', async () => {
    screenshotOnFailure(() => page, 'lookups-5-squadron');
    await logout();
    await login('squadron_leader');
    await expect.poll(() => menu().textContent(), patiently).toContain('查询记录');
    const menuText = (await menu().textContent()) ?? '';
    for (const shown of ['概览', '查询记录', '查询画像', '审计规则', '我的说明']) expect(menuText).toContain(shown);
    for (const hidden of ['对象追查', '关注名单', '说明核查']) expect(menuText).not.toContain(hidden);

    await openFromMenu('查询记录', '/lookups/records', () => page.getByRole('main').locator('.ant-table'));
    await expect.poll(() => rows().filter({ hasText: SELLER.name }).count(), patiently).toBeGreaterThan(0);
    // 050100–050102 work in the brigade office (src/demo/org.demo.ts), outside 一中队
    const texts = await rows().allTextContents();
    expect(texts.every((t) => t.includes('一中队'))).toBe(true);
    expect(texts.some((t) => /05010[0-2]/.test(t))).toBe(false);
    // no inspector's button to ask for explanations
    expect(await page.getByRole('button', { name: /发起说明核查/ }).count()).toBe(0);

    // the rules' parameters are his to read, not to change or run
    await openFromMenu('审计规则', '/lookups/rules', () => page.getByTestId('lookup-rules'));
    expect(await page.getByTestId('lookup-rules').textContent()).toContain('L-BULK 短时批量查询');
    expect(await page.getByRole('button', { name: '调整参数' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '全量运行规则' }).count()).toBe(0);

    await page.goto(`${server.url}/lookups/subject`);
    const result = page.locator('.ant-result-403');
    await result.waitFor({ state: 'visible' });
    expect(await result.textContent()).toContain('无权访问');
  });
});

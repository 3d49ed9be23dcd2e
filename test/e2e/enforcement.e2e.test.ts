// Enforcement end to end, in headless Chromium against a fresh server with demo data: the legal
// officer (法制员) signs in on the dashboard, imports a CSV of camera records — one decided as a
// penalty, one held because its fine is outside the catalogue range (R-FINE-RANGE), one refused for
// a bad plate — reads why the held one is held, approves it from the 待审核 queue, and finds it a
// penalty reviewed by her. An officer (民警) sees no 待审核 and is refused the page.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from './server.ts';
import { described, openConsolePage, screenshotOnFailure, signIn, statisticValue, STEP_MS, exactly } from './browser.ts';

const PASSWORD = process.env.DEMO_PASSWORD ?? 'Clearlane@2026';
const LEGAL_NAME = '周文静'; // the demo brigade's 法制员 (src/demo/org.demo.ts)

// The e2e server's demo brigade has no enforcement records (seedDemo's default), so these plates are
// the only ones; the list filters match by substring, so PLATE_PREFIX finds both.
const PLATE_PREFIX = '苏A5E2E';
const PENALTY_PLATE = `${PLATE_PREFIX}1`;
const HELD_PLATE = `${PLATE_PREFIX}2`;
const BAD_PLATE = `${PLATE_PREFIX}I`; // no I or O in a plate
const REVIEW_NOTE = '证据清楚，按目录默认金额处罚';

const HOUR = 3_600_000;
/** 'YYYY-MM-DD HH:mm:ss' in Beijing time (UTC+8, no daylight saving), as the brigade's systems write. */
const beijing = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 19).replace('T', ' ');
const todayBeijing = () => beijing(Date.now()).slice(0, 10);

let server: { url: string; close(): Promise<void> };
let browser: Browser;
let page: Page;
let workDir: string;
let csvPath: string;
/** 待审核积压 on the dashboard before the import */
let backlogBefore = 0;

beforeAll(async () => {
  server = await startTestServer();
  ({ browser, page } = await openConsolePage());
  workDir = mkdtempSync(join(tmpdir(), 'clearlane-e2e-enforcement-'));
  csvPath = join(workDir, 'camera-records.csv');
  const sha = createHash('sha256').update('e2e.jpg').digest('hex');
  const run = Date.now().toString(36).toUpperCase();
  const rows = [
    '外部编号,记录类型,号牌号码,车辆类型,违法代码,违法时间,道路,设备编号,罚款金额,证据',
    // row 2: a plain red-light capture → penalty (1625 is not warning-eligible)
    `E2E-${run}-1,非现场,${PENALTY_PLATE},K33,1625,${beijing(Date.now() - 3 * HOUR)},中山路,SXJ-0001,,photo|e2e.jpg|${sha}`,
    // row 3: the same with a fine of 5000, outside 1625's 20–200 → held for the 法制员
    `E2E-${run}-2,非现场,${HELD_PLATE},小型载客汽车,1625,${beijing(Date.now() - 2 * HOUR)},中山路,SXJ-0001,5000,photo|e2e-2.jpg|${sha}`,
    // row 4: a plate that cannot exist → refused, with its row number
    `E2E-${run}-3,非现场,${BAD_PLATE},K33,1625,${beijing(Date.now() - 2 * HOUR)},中山路,SXJ-0001,,photo|e2e-3.jpg|${sha}`,
  ];
  writeFileSync(csvPath, `${rows.join('\r\n')}\r\n`, 'utf8');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}, 60_000);

async function login(username: string): Promise<void> {
  await signIn(page, server.url, username, PASSWORD);
}

const menu = () => page.getByRole('navigation', { name: '主菜单' });
const dialog = () => page.getByRole('dialog').filter({ visible: true });
/** Rows of the page's own table (a closed modal keeps its last content, tables included, hidden in the DOM). */
const rows = () => page.getByRole('main').locator('.ant-table-row');
/** expect.poll waits 1 s by default; a page waiting on the server gets as long as any other step. */
const patiently = { timeout: STEP_MS };

/** What shows that each page, not the one before it, is on screen (the URL changes first). */
const READY: Record<string, () => Locator> = {
  '/dashboard': () => page.getByTestId('dashboard'),
  '/enforcement/records': () => page.getByRole('main').getByRole('button', { name: '导入' }),
  '/enforcement/review': () => page.getByTestId('review-batch'),
};

/** Goes to a console page through the side menu, as a user would. */
async function openFromMenu(label: string, path: string): Promise<void> {
  await menu().getByRole('link', { name: label }).click();
  await page.waitForURL((u) => u.pathname === path);
  await READY[path]!().waitFor();
}



/** Filters the page's table by plate (both lists have the shared filter bar) and waits for `count` rows. */
async function filterByPlate(plate: string, count: number): Promise<void> {
  await page.locator('#filter_plate').fill(plate);
  await page.getByRole('button', { name: '查询' }).click();
  await expect
    .poll(async () => {
      const texts = await rows().allTextContents();
      return texts.length === count && texts.every((t) => t.includes(plate));
    }, patiently)
    .toBe(true);
}

async function openDetail(row: Locator): Promise<Locator> {
  await row.getByRole('button', { name: '详情' }).click();
  const drawer = dialog().filter({ has: page.getByTestId('record-detail') });
  await drawer.waitFor();
  return drawer;
}

async function closeDrawer(drawer: Locator): Promise<void> {
  await drawer.locator('.ant-drawer-close').click();
  await drawer.waitFor({ state: 'hidden' });
}

describe('执法记录: a camera record from upload to the legal officer’s approval', () => {
  it('the 法制员 signs in and lands on the dashboard: its figures render', async () => {
    screenshotOnFailure(() => page, 'enforcement-1-dashboard');
    await login('legal');
    await page.waitForURL((u) => u.pathname === '/dashboard');
    await READY['/dashboard']!().waitFor();
    expect(await page.getByTestId('current-user').textContent()).toContain(LEGAL_NAME);
    // the e2e server's demo brigade has people but no enforcement records yet (seedDemo's default)
    const backlog = page.getByTestId('held-backlog');
    await expect.poll(() => statisticValue(backlog), patiently).toBeGreaterThanOrEqual(0);
    backlogBefore = await statisticValue(backlog);
    expect(await backlog.textContent()).toContain('待审核积压');
    const perDay = page.getByTestId('chart-per-day');
    await perDay.locator('canvas, .ant-empty').first().waitFor();
  });

  it('imports a CSV: two records created (处罚, 待审核), the bad row refused with its row and reason', async () => {
    screenshotOnFailure(() => page, 'enforcement-2-import');
    await openFromMenu('执法记录', '/enforcement/records');
    await page.getByRole('button', { name: '导入' }).click();
    const modal = dialog().filter({ hasText: '导入执法记录' });
    await modal.waitFor();
    await modal.locator('input[type="file"]').setInputFiles(csvPath);
    await modal.getByText('camera-records.csv').waitFor();
    await modal.getByRole('button', { name: '开始导入' }).click();

    const report = modal.getByTestId('import-report');
    await report.waitFor();
    const stat = (title: string) => statisticValue(report.locator('.ant-statistic').filter({ has: page.locator('.ant-statistic-title', { hasText: exactly(title) }) }));
    expect(await stat('总行数')).toBe(3);
    expect(await stat('新增')).toBe(2);
    expect(await stat('重复（未再导入）')).toBe(0);
    expect(await stat('未导入')).toBe(1);
    expect(await report.textContent()).toContain('有 1 行未导入，请按下表修改后重新导入');
    expect((await report.locator('.ant-tag').allTextContents()).sort()).toEqual(['处罚 1', '待审核 1']);

    const errorRows = report.locator('.ant-table-row');
    expect(await errorRows.count()).toBe(1);
    const cells = await errorRows.first().locator('td').allTextContents();
    expect(cells.slice(0, 2)).toEqual(['4', '号牌号码']);
    expect(cells[2]).toBe(`号牌“${BAD_PLATE}”格式无效（应为7位普通号牌或8位新能源号牌，字母不含I、O）`);

    await modal.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
    await modal.waitFor({ state: 'hidden' });
  });

  it('the held record shows in 执法记录 with its R-FINE-RANGE reason and legal basis', async () => {
    screenshotOnFailure(() => page, 'enforcement-3-held-detail');
    await filterByPlate(PLATE_PREFIX, 2);
    const penaltyRow = rows().filter({ hasText: PENALTY_PLATE });
    expect(await penaltyRow.locator('.ant-tag').allTextContents()).toEqual(expect.arrayContaining(['非现场', '处罚']));
    expect(await penaltyRow.textContent()).toContain('200 元 / 6 分');
    const heldRow = rows().filter({ hasText: HELD_PLATE });
    expect(await heldRow.locator('.ant-tag').allTextContents()).toEqual(expect.arrayContaining(['非现场', '待审核', '罚款幅度']));

    const drawer = await openDetail(heldRow);
    expect(await described(drawer, '号牌').textContent()).toBe(HELD_PLATE);
    expect(await described(drawer, '结果').textContent()).toBe('待审核');
    expect(await described(drawer, '罚款/记分（报送）').textContent()).toBe('5000 元 / - 分');
    expect(await described(drawer, '审核时间').textContent()).toBe('尚未审核');

    const reason = drawer.locator('.ant-card').filter({ has: page.locator('.ant-tag', { hasText: exactly('R-FINE-RANGE') }) });
    expect(await reason.count()).toBe(1);
    expect(await reason.locator('.ant-card-head').textContent()).toContain('罚款幅度');
    expect(await reason.textContent()).toContain('违法代码1625（驾驶机动车违反道路交通信号灯通行的）：罚款5000元超出目录幅度20至200元。');
    const basis = await described(reason, '法律依据').textContent();
    expect(basis).toContain('《道路交通安全法》第90条');
    expect(basis).toContain('《道路交通安全违法行为记分管理办法》');
    await closeDrawer(drawer);
  });

  it('the dashboard counts it in the backlog and leads to 待审核, where it waits with its reason and countdown', async () => {
    screenshotOnFailure(() => page, 'enforcement-4-queue');
    await openFromMenu('首页看板', '/dashboard');
    const backlog = page.getByTestId('held-backlog');
    await expect.poll(() => statisticValue(backlog), patiently).toBe(backlogBefore + 1);
    // today's records are drawn: the per-day chart and the camera outcome pie get a canvas
    for (const chart of ['chart-per-day', 'chart-camera']) {
      const card = page.getByTestId(chart);
      await card.getByRole('img').locator('canvas').waitFor({ state: 'visible' });
      const box = await card.locator('canvas').boundingBox();
      expect(box!.width * box!.height).toBeGreaterThan(10_000);
    }
    await backlog.getByRole('link', { name: '去审核' }).click();
    await page.waitForURL((u) => u.pathname === '/enforcement/review');
    await READY['/enforcement/review']!().waitFor();

    await filterByPlate(HELD_PLATE, 1);
    const row = rows().filter({ hasText: HELD_PLATE });
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('罚款5000元超出目录幅度20至200元');
    // captured a few hours ago: 5 working days from the capture, 4 when midnight fell in between
    expect(await row.locator('.ant-tag').first().textContent()).toMatch(/^剩 [45] 个工作日$/);
    const lastDay = /最迟 (\d{4}-\d{2}-\d{2})/.exec(text)?.[1];
    expect(lastDay! > todayBeijing()).toBe(true);
  });

  it('approves it as a penalty through the confirm dialog; it leaves the queue', async () => {
    screenshotOnFailure(() => page, 'enforcement-5-approve');
    const row = rows().filter({ hasText: HELD_PLATE });
    await row.getByRole('button', { name: '确认处罚' }).click();
    const confirm = dialog().filter({ hasText: `确认处罚：记录（${HELD_PLATE}）` });
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('确认后记录转为处罚');
    await confirm.getByLabel('审核意见（可选）').fill(REVIEW_NOTE);
    await confirm.locator('.ant-modal-footer').getByRole('button', { name: '确认处罚' }).click();
    await page.locator('.ant-message').getByText('已审核 1 条记录（确认处罚）').waitFor();
    await confirm.waitFor({ state: 'hidden' });

    await expect.poll(() => rows().count(), patiently).toBe(0);
    await page.getByText('没有待审核的记录').waitFor();
  });

  it('back in 执法记录 it is a penalty, reviewed by the 法制员', async () => {
    screenshotOnFailure(() => page, 'enforcement-6-reviewed');
    await openFromMenu('执法记录', '/enforcement/records');
    await filterByPlate(HELD_PLATE, 1);
    const row = rows().filter({ hasText: HELD_PLATE });
    expect(await row.locator('.ant-tag').allTextContents()).toEqual(expect.arrayContaining(['处罚']));
    expect(await row.locator('.ant-tag').allTextContents()).not.toContain('待审核');
    // the reviewed penalty carries the catalogue's default amount, not the 5000 reported
    expect(await row.textContent()).toContain('200 元 / 6 分');

    const drawer = await openDetail(row);
    expect(await described(drawer, '结果').textContent()).toBe('处罚');
    expect(await described(drawer, '系统判定').textContent()).toBe('待审核');
    expect(await described(drawer, '罚款/记分（判定）').textContent()).toBe('200 元 / 6 分');
    expect(await described(drawer, '审核人').textContent()).toBe(LEGAL_NAME);
    expect(await described(drawer, '审核意见').textContent()).toBe(REVIEW_NOTE);
    expect(await described(drawer, '审核时间').textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await closeDrawer(drawer);

    await openFromMenu('首页看板', '/dashboard');
    await expect.poll(() => statisticValue(page.getByTestId('held-backlog')), patiently).toBe(backlogBefore);
  });
});

describe('待审核 is the 法制员’s: an officer (民警) neither sees nor opens it', () => {
  it("an on-site record's driver is masked; the full values show only after confirming the ledgered read", async () => {
    screenshotOnFailure(() => page, 'enforcement-7-driver');
    const id = await page.evaluate(async () => {
      const res = await fetch('/api/enforcement/records?kind=onSite&pageSize=1');
      return ((await res.json()) as { items: Array<{ id: number }> }).items[0]!.id;
    });
    await page.goto(`${server.url}/enforcement/records?id=${id}`);
    const drawer = dialog().filter({ has: page.getByTestId('record-detail') });
    await drawer.waitFor(patiently);
    const masked = await described(drawer, '身份证号').textContent();
    expect(masked).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    await drawer.getByRole('button', { name: '查看完整信息' }).click();
    const confirm = dialog().filter({ hasText: '驾驶人的完整信息' });
    await confirm.getByRole('button', { name: '确认查看' }).click();
    const full = dialog().filter({ hasText: '驾驶人完整信息' });
    await full.waitFor(patiently);
    expect(await described(full, '身份证号').textContent()).toMatch(/^\d{17}[\dX]$/);
    expect(await full.textContent()).toContain('本次查看已记入审计账本');
    await full.getByRole('button', { name: '关闭' }).click();
    await full.waitFor({ state: 'hidden' });
    await confirm.waitFor({ state: 'hidden' });
    await closeDrawer(drawer);
  });

  it('no 待审核 in the menu, and /enforcement/review shows 无权访问', async () => {
    screenshotOnFailure(() => page, 'enforcement-7-officer');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    await login('officer');
    await expect.poll(() => menu().textContent(), patiently).toContain('执法记录');
    expect(await menu().textContent()).not.toContain('待审核');

    await page.goto(`${server.url}/enforcement/review`);
    const result = page.locator('.ant-result-403');
    await result.waitFor({ state: 'visible' });
    expect(await result.textContent()).toContain('无权访问');
    expect(await rows().count()).toBe(0);
  });
});

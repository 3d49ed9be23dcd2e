// 审计账本 end to end, in headless Chromium against a fresh server with demo data: the auditor signs
// a checkpoint, opens an entry and sees the browser verify it by itself (leaf, leaf hash, audit
// path, Ed25519 signature); a tampered answer from the server shows as a failure; the server-side
// verify passes, with and without a checkpoint kept outside, and fails on a forged one. An
// inspector, who may read the ledger but not verify it, sees neither the verify tab nor the button.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from './server.ts';
import { openConsolePage, screenshotOnFailure, signIn } from './browser.ts';

const PASSWORD = process.env.DEMO_PASSWORD ?? 'Clearlane@2026';
const STEPS = ['leaf', 'leafHash', 'path', 'signature'] as const;

let server: { url: string; close(): Promise<void> };
let browser: Browser;
let page: Page;
/** The checkpoint the auditor signs, as its note text, kept "outside" for the verify step. */
let savedNote = '';
let checkpointSize = 0;
let verifyRuns = 0;

beforeAll(async () => {
  server = await startTestServer();
  ({ browser, page } = await openConsolePage());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
}, 60_000);

async function login(username: string): Promise<void> {
  await signIn(page, server.url, username, PASSWORD);
}

const panel = (name: string) => page.getByRole('tabpanel', { name });
const drawer = () => page.getByRole('dialog').filter({ visible: true });

/** Waits for the in-browser verification in the open drawer and returns each step's status. */
async function stepStatuses(): Promise<Record<string, string | null>> {
  await drawer().getByTestId('browser-verification').waitFor();
  const out: Record<string, string | null> = {};
  for (const s of STEPS) out[s] = await drawer().getByTestId(`verify-step-${s}`).getAttribute('data-status');
  return out;
}

async function openEntry(seq: number): Promise<void> {
  const row = panel('账本条目').locator(`.ant-table-row[data-row-key="${seq}"]`); // rowKey is the seq
  await row.getByRole('button', { name: '详情与核验' }).click();
  await drawer().getByText(`账本条目 #${seq}`).waitFor();
}

async function runVerify(checkpoint?: string): Promise<{ ok: string | null; text: string }> {
  const tab = panel('核验');
  await tab.locator('#checkpoint').fill(checkpoint ?? '');
  verifyRuns++;
  await tab.getByRole('button', { name: '立即核验' }).click();
  const result = tab.locator(`[data-testid="ledger-verify-result"][data-run="${verifyRuns}"]`);
  await result.waitFor();
  return { ok: await result.getAttribute('data-ok'), text: (await result.textContent()) ?? '' };
}

describe('审计账本: the auditor verifies the ledger in the browser', () => {
  it('the menu shows 审计账本, and the old 操作记录 path leads there', async () => {
    screenshotOnFailure(() => page, 'ledger-1-menu');
    await login('auditor');
    const menu = page.getByRole('navigation', { name: '主菜单' });
    await menu.getByRole('link', { name: '审计账本' }).click();
    await page.waitForURL((u) => u.pathname === '/logs/ledger');
    expect(await menu.textContent()).not.toContain('操作记录');
    for (const tab of ['账本条目', '检查点', '核验']) await page.getByRole('tab', { name: tab }).waitFor();

    await page.goto(`${server.url}/logs/operations`);
    await page.waitForURL((u) => u.pathname === '/logs/ledger');
    await panel('账本条目').locator('.ant-table-row').first().waitFor();
  });

  it('signs a checkpoint now and reads its note, whose signature the browser checks', async () => {
    screenshotOnFailure(() => page, 'ledger-2-checkpoint');
    await page.getByRole('tab', { name: '检查点' }).click();
    await panel('检查点').getByRole('button', { name: '立即签发检查点' }).click();
    await page.locator('.ant-message').getByText(/已签发检查点：大小 \d+/).waitFor();

    const first = panel('检查点').locator('.ant-table-row').first();
    await first.waitFor();
    checkpointSize = Number(await first.locator('td').first().textContent());
    expect(checkpointSize).toBeGreaterThan(100); // the demo data alone is well over a hundred entries

    await first.getByRole('button', { name: '签名文本' }).click();
    const dialog = page.getByRole('dialog').filter({ visible: true });
    savedNote = (await dialog.getByTestId('note-text').textContent()) ?? '';
    expect(savedNote).toMatch(new RegExp(`^clearlane/operation-ledger\\n${checkpointSize}\\n[A-Za-z0-9+/]{43}=\\n\\n\u2014 clearlane/operation-ledger `));
    await expect.poll(() => dialog.getByTestId('note-check').getAttribute('data-state')).toBe('ok');
    expect(await dialog.getByTestId('note-check').textContent()).toContain('签名有效');

    // 下载 gives the note byte for byte, as the discipline office must keep it
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: '下载' }).click()]);
    expect(download.suggestedFilename()).toBe(`checkpoint-clearlane_operation-ledger-${checkpointSize}.txt`);
    expect(readFileSync((await download.path())!, 'utf8')).toBe(savedNote);
    await dialog.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('opens an entry covered by the checkpoint: every step computed in the browser passes', async () => {
    screenshotOnFailure(() => page, 'ledger-3-entry');
    await page.getByRole('tab', { name: '账本条目' }).click();
    await openEntry(checkpointSize);
    expect(await stepStatuses()).toEqual({ leaf: 'pass', leafHash: 'pass', path: 'pass', signature: 'pass' });
    expect(await drawer().textContent()).toContain('以下核验由浏览器本地计算，不依赖服务器的结论');
    const verification = drawer().getByTestId('browser-verification');
    expect(await verification.getAttribute('data-ok')).toBe('true');
    expect(await verification.textContent()).toContain('浏览器本地核验全部通过');
    // the leaf is shown, raw as hashed, and the checkpoint it was proven against
    await drawer().getByRole('tab', { name: '原始' }).click();
    expect(await drawer().getByTestId('leaf-raw').textContent()).toMatch(new RegExp(`^\\{"action":".+,"seq":${checkpointSize},`));
    expect(await drawer().getByTestId('note-text').textContent()).toBe(savedNote);
  });

  it('a server answer altered in transit shows as a failure, never as a pass', async () => {
    screenshotOnFailure(() => page, 'ledger-4-tampered');
    const url = `${server.url}/api/ledger/entries/${checkpointSize}`;
    await page.route(url, async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { entry: { actorName: string } };
      body.entry.actorName = '篡改者';
      await route.fulfill({ response: res, json: body });
    });
    try {
      await drawer().getByRole('button', { name: '重新核验' }).click();
      await drawer().getByText('篡改者').first().waitFor();
      const status = await stepStatuses();
      expect(status).toMatchObject({ leaf: 'fail', leafHash: 'fail' });
      const verification = drawer().getByTestId('browser-verification');
      expect(await verification.getAttribute('data-ok')).toBe('false');
      expect(await verification.textContent()).toContain('浏览器本地核验未通过');
    } finally {
      await page.unroute(url);
    }
    await drawer().getByRole('button', { name: '重新核验' }).click();
    await expect.poll(() => drawer().getByTestId('browser-verification').getAttribute('data-ok')).toBe('true');
    await drawer().locator('.ant-drawer-close').click();
    await drawer().waitFor({ state: 'hidden' });
  });

  it('an entry newer than the checkpoint is pending, not passed', async () => {
    screenshotOnFailure(() => page, 'ledger-5-pending');
    // signing the checkpoint was itself recorded, as the entry right after it
    await page.getByRole('button', { name: '查询' }).click();
    await openEntry(checkpointSize + 1);
    expect(await stepStatuses()).toEqual({ leaf: 'pass', leafHash: 'pass', path: 'pending', signature: 'pending' });
    expect(await drawer().getByTestId('browser-verification').getAttribute('data-ok')).toBe('false');
    expect(await drawer().getByTestId('verify-step-signature').textContent()).toContain('暂不能核验');
    expect(await drawer().textContent()).toContain('晚于最新检查点');
    await drawer().locator('.ant-drawer-close').click();
    await drawer().waitFor({ state: 'hidden' });
  });

  it('核验 runs the server verifier: ok, ok with the note kept outside, and a forged note fails', async () => {
    screenshotOnFailure(() => page, 'ledger-6-verify');
    await page.getByRole('tab', { name: '核验' }).click();

    let r = await runVerify();
    expect(r.ok).toBe('true');
    expect(r.text).toContain('核验通过');

    r = await runVerify(savedNote);
    expect(r.ok).toBe('true');
    expect(r.text).toContain(`外部检查点（大小 ${checkpointSize}）签名有效`);

    // the same note claiming another root: its signature no longer holds
    const [origin, size, root, ...rest] = savedNote.split('\n');
    const forgedRoot = (root!.startsWith('A') ? 'B' : 'A') + root!.slice(1);
    r = await runVerify([origin, size, forgedRoot, ...rest].join('\n'));
    expect(r.ok).toBe('false');
    expect(r.text).toContain('核验未通过：与外部检查点不符');
  });
});

describe('审计账本: an inspector reads it but cannot verify or sign', () => {
  it('sees the entries and checkpoints but no 核验 tab and no 立即签发检查点', async () => {
    screenshotOnFailure(() => page, 'ledger-7-inspector');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    await login('inspector');
    await page.goto(`${server.url}/logs/ledger?tab=verify`);
    await panel('账本条目').locator('.ant-table-row').first().waitFor();
    expect(await page.getByRole('tab').allTextContents()).toEqual(['账本条目', '检查点']);

    await page.getByRole('tab', { name: '检查点' }).click();
    await panel('检查点').locator('.ant-table-row').first().waitFor();
    expect(await page.getByRole('button', { name: '立即签发检查点' }).count()).toBe(0);

    // the in-browser verification is for every reader of the ledger
    await page.getByRole('tab', { name: '账本条目' }).click();
    await openEntry(checkpointSize);
    expect(await stepStatuses()).toEqual({ leaf: 'pass', leafHash: 'pass', path: 'pass', signature: 'pass' });
  });
}, 240_000);

// The four lists in a browser: a liaison builds and decomposes a task on a phone, the head
// submits, the office approves at a desk; a later deadline change goes through a change
// request into the task's history; an import preview names the rows it cannot take.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startDuban, openBrowser, signIn, assertFitsWidth, PHONE, DESK, artifacts } from './harness.js';

let duban, browser;
before(async () => { duban = await startDuban(); browser = await openBrowser(); });
after(async () => { await browser?.close(); duban?.stop(); });

const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

test('a task goes from a liaison phone through submission, approval and a change request', async () => {
  const phone = await browser.newPage({ viewport: PHONE });
  await signIn(phone, duban.base, 'tjj-liaison');
  await phone.click('nav.tabs >> text=清单');
  assert.match(await phone.textContent('h1'), /任务清单/);
  await assertFitsWidth(phone, assert);
  await shot(phone, 'phone-lists');

  await phone.click('text=新增任务');
  await phone.fill('#title', '小微企业升规入库');
  await phone.fill('#content', '全年推动小微企业升规20家');
  await phone.fill('#due_date', '2026-09-30');
  await phone.fill('#weight', '5');
  await phone.fill('#indicators', '升规企业：20家');
  await phone.fill('#milestones', '2026-06-30：升规10家〔升规企业=10家〕');
  await assertFitsWidth(phone, assert);
  await shot(phone, 'phone-task-form');
  await Promise.all([phone.waitForURL(/\/lists\/tasks\/\d+\?ok=created/), phone.click('main form button')]);
  const taskUrl = phone.url().split('?')[0];
  assert.match(await phone.textContent('h1'), /小微企业升规入库/);
  assert.match(await phone.textContent('main'), /升规企业/);

  await phone.click('text=分解子任务');
  await phone.fill('#title', '工业统计科负责升规10家');
  await phone.selectOption('#section_id', { label: '工业统计科' });
  await phone.fill('#due_date', '2026-10-31');
  await phone.fill('#indicators', '升规企业：10家');
  await phone.click('main form button');
  assert.match(await phone.textContent('#due_date ~ .error'), /晚于上级任务/);
  assert.equal(await phone.inputValue('#title'), '工业统计科负责升规10家', 'typed values are kept');
  await phone.fill('#due_date', '2026-06-30');
  await Promise.all([phone.waitForURL(/ok=created/), phone.click('main form button')]);
  await phone.goto(taskUrl);
  assert.match(await phone.textContent('.tree'), /工业统计科负责升规10家/);
  await assertFitsWidth(phone, assert);
  await shot(phone, 'phone-task-tree');

  const head = await browser.newPage({ viewport: PHONE });
  await signIn(head, duban.base, 'tjj-head');
  await head.goto(`${duban.base}/lists`);
  await Promise.all([head.waitForURL(/ok=\d+/), head.click('text=报送清单')]);
  assert.match(await head.textContent('.notice'), /已报送\d+项任务/);

  const desk = await browser.newPage({ viewport: DESK });
  await signIn(desk, duban.base, 'dkb');
  await desk.goto(taskUrl);
  await Promise.all([desk.waitForURL(/ok=approved/), desk.click('button[value=approve]')]);
  assert.match(await desk.textContent('main'), /已审定/);
  await shot(desk, 'desk-task-approved');

  await phone.goto(taskUrl);
  assert.equal(await phone.locator('text=修改').count(), 0, 'an approved task has no edit button');
  await phone.click('text=申请调整');
  await phone.fill('#due_date', '2026-12-31');
  await phone.fill('#reason', '升规口径调整，年底才能核定');
  await Promise.all([phone.waitForURL(/ok=proposed/), phone.click('main form button')]);
  assert.match(await phone.textContent('main'), /待审批/);

  await desk.goto(`${duban.base}/lists/changes`);
  assert.match(await desk.textContent('main'), /升规口径调整/);
  await shot(desk, 'desk-change-queue');
  await Promise.all([desk.waitForURL(/ok=decided/), desk.click('button[value=approve]')]);
  assert.match(await desk.textContent('main'), /变更记录/);
  assert.match(await desk.textContent('main'), /2026-09-30/);
  assert.match(await desk.textContent('main'), /2026-12-31/);
  await shot(desk, 'desk-task-history');

  await phone.click('header >> text=English');
  assert.match(await phone.textContent('main'), /History of changes/);
  await assertFitsWidth(phone, assert);
  await shot(phone, 'phone-task-en');
  await Promise.all([phone.close(), head.close(), desk.close()]);
});

test('re-importing an approved list unchanged is previewed as unchanged and writes nothing', async () => {
  const desk = await browser.newPage({ viewport: DESK });
  await signIn(desk, duban.base, 'dkb');
  await desk.goto(`${duban.base}/lists`);
  const res = await desk.request.get(`${duban.base}/lists/export.xlsx?year=2026&kind=policy`);
  assert.equal(res.status(), 200);
  const file = await res.body();
  await desk.goto(`${duban.base}/lists/import`);
  await desk.setInputFiles('#file', { name: 'policy.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
  await desk.click('main form button');
  assert.match(await desk.textContent('h1'), /预览/);
  // Its own export, sent back as it was: every row unchanged, none new, none refused.
  const main = await desk.textContent('main');
  assert.match(main, /新增 0 · 覆盖草稿 0 · 无变化 \d+/);
  assert.match(main, /问题\s*0/);
  await shot(desk, 'desk-import-preview');
  const phone = await browser.newPage({ viewport: PHONE });
  await signIn(phone, duban.base, 'dkb');
  await phone.goto(`${duban.base}/lists/import`);
  await phone.setInputFiles('#file', { name: 'policy.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
  await phone.click('main form button');
  await assertFitsWidth(phone, assert);
  await shot(phone, 'phone-import-preview');
  await Promise.all([desk.close(), phone.close()]);
});

// 吹哨报到 in a browser at 360 px: 东城街道's liaison raises a joint matter naming 交通运输局 and
// 应急管理局 on the demo's Wednesday morning (25 November, 10:00 — 4 working hours to report
// in, so by 15:30). 交通运输局 reports in at once. The next morning comes from a second
// server on the same database whose clock is pinned to 26 November 09:00 (`time.pinned`, the
// setting for demos and tests): its job runner finds 应急管理局's window passed, flags it and
// tells the office; 应急管理局 then reports in, late. Both feed back; the town closes the
// matter and rates both; the office's towns × departments matrix counts one more matter in
// each cell, one more late report-in in 应急管理局's, and the ratings.
//
// Why a second server: the demo's clock runs on from its pin in real time, so waiting for a
// window to pass would take hours. A process on the same data directory with a later pin is
// exactly what a server running the next morning would be, jobs included.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startDuban, openBrowser, signIn, assertFitsWidth, PHONE, artifacts } from './harness.js';

let today, tomorrow, browser;
before(async () => { today = await startDuban(); browser = await openBrowser(); });
after(async () => { await browser?.close(); today?.stop(); tomorrow?.stop(); });

const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

const TITLE = '华丰路口货车占道及危化品运输隐患';
const ROAD = '交通运输局';
const SAFETY = '应急管理局';

async function phone(base, login) {
  const page = await browser.newPage({ viewport: PHONE });
  await signIn(page, base, login);
  return page;
}

/** The matrix cell (东城街道 × a department) on /joint/figures: matters, late, rating text. */
async function cell(page, base, department) {
  await page.goto(`${base}/joint/figures?year=2026`);
  const table = page.locator('table', { has: page.locator('th', { hasText: '东城街道' }) }).last();
  const heads = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
  const col = heads.indexOf(department);
  assert.ok(col > 0, `the matrix has a column for ${department}: ${heads}`);
  const row = table.locator('tbody tr', { has: page.locator('th', { hasText: '东城街道' }) });
  const td = row.locator('td').nth(col - 1);
  const links = await td.locator('a').allTextContents();
  const late = await td.locator('a.flag').count() ? Number(await td.locator('a.flag').textContent()) : 0;
  const text = (await td.textContent()).trim();
  const rating = text.split('·').map((s) => s.trim()).find((s) => s.includes('.')) ?? null;
  return { matters: links.length ? Number(links[0]) : 0, late, rating };
}

/** The card of a named department on a joint matter's page. */
const card = (page, department) => page.locator('li.card', { has: page.locator('strong', { hasText: department }) });

async function submit(page, form) {
  await Promise.all([page.waitForURL(/\/joint\/\d+$/), form.locator('button').click()]);
  assert.equal(await page.locator('p.error').count(), 0, 'the step is taken without a problem');
}

test('东城街道 blows the whistle; one department reports in at once, the other late and flagged; the matrix shows it', async () => {
  // The office's matrix before.
  const office = await phone(today.base, 'dkb2');
  const before = { road: await cell(office, today.base, ROAD), safety: await cell(office, today.base, SAFETY) };

  // 东城街道 raises it on a phone.
  const town = await phone(today.base, 'town-dongcheng-liaison');
  await town.goto(`${today.base}/joint`);
  await town.fill('#title', TITLE);
  await town.fill('#content', '华丰路口大货车长期占道停放，其中有危化品运输车辆，存在安全隐患。');
  await town.fill('#departments', `${ROAD}、${SAFETY}`);
  await Promise.all([town.waitForURL(/\/joint\/\d+$/), town.locator('form[action="/joint"] button').click()]);
  const matter = new URL(town.url()).pathname;
  assert.match(await town.textContent('h1'), new RegExp(TITLE));
  for (const d of [ROAD, SAFETY]) {
    assert.match(await card(town, d).textContent(), /报到时限 2026-11-25 15:30/, `${d} must report in by 15:30`);
  }
  await assertFitsWidth(town, assert);
  await shot(town, 'joint-raised-360');

  // 交通运输局 reports in at once, naming its handler.
  const road = await phone(today.base, 'jtysj-liaison');
  await road.goto(`${today.base}${matter}`);
  await submit(road, road.locator('form[action$="/report-in"]'));
  assert.match(await card(road, ROAD).textContent(), /已报到 2026-11-25/);
  assert.doesNotMatch(await card(road, ROAD).textContent(), /超时/);

  // The next morning: a server on the same database with its clock at 26 November 09:00. Its
  // job runner flags 应急管理局 (and tells the office) as it starts.
  tomorrow = await startDuban({ dir: today.dir, env: { DUBAN_TIME__PINNED: '2026-11-26T09:00:00+08:00' } });
  const office2 = await phone(tomorrow.base, 'dkb2');
  let inbox = '';
  for (let i = 0; i < 50 && !inbox.includes(TITLE); i++) {
    await office2.goto(`${tomorrow.base}/inbox`);
    inbox = await office2.textContent('main');
    if (!inbox.includes(TITLE)) await new Promise((r) => setTimeout(r, 200));
  }
  assert.match(inbox, new RegExp(`报到超时[^]*${TITLE}|${TITLE}[^]*未在时限内报到`), 'the office is told of the missed window');
  const town2 = await phone(tomorrow.base, 'town-dongcheng-liaison');
  await town2.goto(`${tomorrow.base}${matter}`);
  assert.match(await card(town2, SAFETY).textContent(), /超时/, `${SAFETY} is flagged`);
  assert.doesNotMatch(await card(town2, ROAD).textContent(), /超时/);
  await shot(town2, 'joint-flagged-360');

  // 应急管理局 reports in, late; both feed back.
  const safety = await phone(tomorrow.base, 'yjglj-liaison');
  await safety.goto(`${tomorrow.base}${matter}`);
  await submit(safety, safety.locator('form[action$="/report-in"]'));
  const safetyCard = await card(safety, SAFETY).textContent();
  assert.match(safetyCard, /已报到 2026-11-26 09:/);
  assert.match(safetyCard, /超时/, 'a late report-in stays flagged');
  await safety.fill('#note', '已会同交警开展危化品车辆专项检查，督促企业落实停车场所。');
  await submit(safety, safety.locator('form[action$="/feedback"]'));
  const road2 = await phone(tomorrow.base, 'jtysj-liaison');
  await road2.goto(`${tomorrow.base}${matter}`);
  await road2.fill('#note', '已施划禁停标线，增设货车临时停车点。');
  await submit(road2, road2.locator('form[action$="/feedback"]'));

  // The town verifies, closes and rates both.
  await town2.goto(`${tomorrow.base}${matter}`);
  await town2.fill('#close-note', '现场核验：货车已无占道停放。');
  await submit(town2, town2.locator('form[action$="/close"]'));
  for (const [d, scores] of [[ROAD, ['5', '5', '5']], [SAFETY, ['2', '3', '3']]]) {
    const form = card(town2, d).locator('form[action$="/rate-department"]');
    for (const [i, name] of ['speed', 'effect', 'attitude'].entries()) {
      await form.locator(`select[name=${name}]`).selectOption(scores[i]);
    }
    await submit(town2, form);
  }
  assert.match(await card(town2, ROAD).textContent(), /响应速度 5/);
  assert.equal(await town2.locator('form[action$="/rate-department"]').count(), 0, 'each rated once');
  await assertFitsWidth(town2, assert);
  await shot(town2, 'joint-closed-360');

  // The office's matrix: one more matter in each cell, one more late in 应急管理局's.
  const after = { road: await cell(office2, tomorrow.base, ROAD), safety: await cell(office2, tomorrow.base, SAFETY) };
  assert.equal(after.road.matters, before.road.matters + 1);
  assert.equal(after.road.late, before.road.late);
  assert.equal(after.safety.matters, before.safety.matters + 1);
  assert.equal(after.safety.late, before.safety.late + 1);
  if (before.road.matters === 0) assert.equal(after.road.rating, '5.0');
  if (before.safety.matters === 0) assert.equal(after.safety.rating, '2.7');
  await assertFitsWidth(office2, assert);
  await shot(office2, 'joint-matrix-360');
});

// 督考 in a browser: the office revises the year's scheme at a desk (a new version with its
// reason; the old one stays), a second officer approves the criticism a first one proposed,
// and the criticised unit's head, on a phone, sees the total drop with the reason on the
// line behind it and appeals that event. The office then edits and issues November's monthly
// bulletin (通报) drafted by the schedule; it takes the next number of the year's series, the
// unit head reads it on the phone, and its PDF pages are rendered into e2e/artifacts. Every
// page fits 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { startDuban, openBrowser, signIn, assertFitsWidth, PHONE, DESK, artifacts } from './harness.js';

let duban, browser;
before(async () => { duban = await startDuban(); browser = await openBrowser(); });
after(async () => { await browser?.close(); duban?.stop(); });

const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

/** The unit's total as the summary shows it ("83.50 分"). */
async function total(page) {
  return Number((await page.textContent('section.summary p.big strong')).trim());
}

test('the office revises the scheme and approves a criticism; the unit head sees the drop and appeals', async () => {
  // 住建局's head, on a phone: their own scores for November (the tables are the office's).
  const phone = await browser.newPage({ viewport: PHONE });
  await signIn(phone, duban.base, 'zjj-head');
  await phone.goto(`${duban.base}/assessment?period=2026-11`);
  assert.match(phone.url(), /\/assessment\/units\/\d+\?period=2026-11$/, 'a unit goes to its own scores');
  const unitPage = phone.url();
  const before = await total(phone);
  await assertFitsWidth(phone, assert);

  // The office, at a desk: a late report costs one point from today, with the reason.
  const desk = await browser.newPage({ viewport: DESK });
  await signIn(desk, duban.base, 'dkb3');
  await desk.goto(`${duban.base}/assessment/scheme?year=2026`);
  const versionList = desk.locator('section.card').first().locator('ul.list > li');
  const versions = await versionList.count();
  await desk.fill('input[name=pt_report_late]', '-1');
  // No reason: refused, nothing adopted.
  await Promise.all([desk.waitForLoadState('load'), desk.click('form[action^="/assessment/scheme"] button')]);
  assert.ok(await desk.locator('.error[data-field=reason]').count() > 0, 'a new version needs its reason');
  await desk.fill('input[name=pt_report_late]', '-1');
  await desk.fill('#reason', '迟报问题突出，自即日起迟报每次扣 1 分');
  await Promise.all([desk.waitForURL(/ok=saved/), desk.click('form[action^="/assessment/scheme"] button')]);
  assert.ok(await desk.locator('text=迟报问题突出').count() > 0, 'the reason is shown with the new version');
  assert.equal(await versionList.count(), versions + 1, 'a new version beside the earlier ones');
  await shot(desk, 'desk-assessment-scheme');

  // The criticism 督考办 proposed (dkb2) waits for a second officer: dkb3 approves it.
  await desk.goto(`${duban.base}/assessment/proposals`);
  const pending = desk.locator('li', { hasText: '老旧小区改造项目现场管理混乱' });
  await pending.locator('input[name=note]').fill('经核实，同意扣分');
  await Promise.all([desk.waitForURL(/ok=saved/), pending.locator('button[value=approve]').click()]);
  assert.ok(await desk.locator('li', { hasText: '老旧小区改造项目现场管理混乱' }).locator('text=经核实，同意扣分').count() > 0);

  // Back on the phone: the total dropped, and the line behind it gives the reason.
  await phone.goto(unitPage);
  const after = await total(phone);
  assert.ok(after < before, `the total drops (${before} → ${after})`);
  const line = phone.locator('details.score-line', { hasText: '领导批评' });
  await line.locator('summary').first().click();
  const event = line.locator('li', { hasText: '老旧小区改造项目现场管理混乱' });
  assert.match(await event.textContent(), /-2/);
  await assertFitsWidth(phone, assert);
  await shot(phone, 'phone-assessment-unit');

  // The head appeals that event from the phone, with a reason; the event shows it pending.
  await event.locator('details > summary').click();
  await event.locator('textarea[name=reason]').fill('该项目由区属国企实施，现场管理已于 11 月 22 日整改到位，附整改报告。');
  await Promise.all([phone.waitForURL(/ok=saved/), event.locator('form button').click()]);
  const appealed = phone.locator('li', { hasText: '老旧小区改造项目现场管理混乱' }).first();
  assert.match(await appealed.textContent(), /申诉中/);
  await assertFitsWidth(phone, assert);
  await shot(phone, 'phone-assessment-appealed');

  // November's bulletin, drafted by the schedule: the office writes what it asks of units,
  // then issues it; it takes the series' next number (the demo issued 1号 and 2号).
  await desk.goto(`${duban.base}/assessment/bulletins`);
  const draftRow = desk.locator('tr', { hasText: '2026-11' }).filter({ has: desk.locator('.badge') });
  await Promise.all([desk.waitForURL(/\/assessment\/bulletins\/\d+$/), draftRow.locator('a').first().click()]);
  const bulletinUrl = desk.url();
  await desk.fill('#requirements', '各单位要对照逾期和红灯任务逐项销号，12 月 15 日前书面报送整改情况。');
  await Promise.all([desk.waitForURL(/ok=saved/), desk.click('form[action$="/commentary"] button')]);
  await Promise.all([desk.waitForURL(/ok=/), desk.click('form[action$="/issue"] button')]);
  const head = await desk.textContent('header.red-head');
  assert.match(head, /永督通〔2026〕3号/, 'the next number of the series');
  assert.equal(await desk.locator('form[action$="/commentary"]').count(), 0, 'an issued bulletin has no edit form');
  await shot(desk, 'desk-bulletin-issued');

  // Its PDF, made in-process with the font embedded: saved and rendered page by page.
  const pdf = await desk.request.get(`${bulletinUrl}/files/pdf`);
  assert.equal(pdf.status(), 200);
  assert.match(pdf.headers()['content-type'], /application\/pdf/);
  const pdfPath = join(artifacts, 'bulletin-2026-11.pdf');
  writeFileSync(pdfPath, await pdf.body());
  try {
    execFileSync('pdftoppm', ['-png', '-r', '60', pdfPath, join(artifacts, 'bulletin-2026-11-page')]);
  } catch (e) {
    if (process.env.CI === 'true') throw e;
  }

  // The unit head reads the issued bulletin on the phone.
  await phone.goto(`${duban.base}/assessment/bulletins`);
  await Promise.all([phone.waitForURL(/\/assessment\/bulletins\/\d+$/), phone.locator('tr', { hasText: '3号' }).locator('a').first().click()]);
  assert.match(await phone.textContent('header.red-head'), /永督通〔2026〕3号/);
  assert.ok(await phone.locator('text=12 月 15 日前书面报送整改情况').count() > 0);
  await assertFitsWidth(phone, assert);
  await shot(phone, 'phone-bulletin');
});

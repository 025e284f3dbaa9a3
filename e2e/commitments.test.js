// 双承诺 in a browser: a unit head drafts a commitment on a phone by ticking a task and a
// deputy (no ids to type), a bad deadline is refused with the field named, saves and submits;
// the office approves at a desk; the head signs on the phone; the public page shows it
// without signing in and fits 360 px. The internal commitment pages fit 360 px in Chinese and
// English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startDuban, openBrowser, signIn, assertFitsWidth, PHONE, DESK, artifacts } from './harness.js';

let duban, browser;
before(async () => { duban = await startDuban(); browser = await openBrowser(); });
after(async () => { await browser?.close(); duban?.stop(); });

const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

/** The page may not scroll sideways at 360 px. */
async function fits360(page, what) {
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= 360, `${what} is ${scroll}px wide at 360 px`);
}

/** Clicks a step's button on a commitment page and waits for the state it leads to. */
async function step(page, name, state) {
  await Promise.all([
    page.waitForURL(new RegExp(`ok=${state}`)),
    page.click(`form:has(input[name=step][value=${name}]) button`),
  ]);
}

test('a unit head drafts with the pickers on a phone; office approves; head signs; the public sees it', async () => {
  // 教育局's head: a unit head with approved tasks and no commitment yet.
  const phone = await browser.newPage({ viewport: PHONE });
  await signIn(phone, duban.base, 'jyj-head');
  await phone.click('nav.tabs >> text=双承诺');
  assert.match(await phone.textContent('h1'), /双承诺/);
  await assertFitsWidth(phone, assert);
  await Promise.all([phone.waitForURL(/\/commitments\/new$/), phone.click('main a.button:has-text("起草承诺")')]);
  assert.match(await phone.textContent('h1'), /起草承诺/);
  assert.equal(await phone.locator('text=用逗号分隔').count(), 0, 'no ids to type');
  await fits360(phone, 'the empty form');

  await phone.fill('#f-title', '中小学课后服务全覆盖');
  await phone.fill('#f-content', '全市义务教育阶段学校全部开展课后服务，按月调度，确保学生应参尽参。');
  await phone.fill('#f-target_text', '课后服务学校覆盖率达到 100%');
  await phone.fill('#f-target_value', '100');
  await phone.fill('#f-target_unit', '%');
  // A deadline that is no date (a browser's date box would not take it; a typed form could).
  await phone.evaluate(() => { const d = document.querySelector('#f-deadline'); d.type = 'text'; d.value = '年底前'; });
  // One task and one deputy, ticked.
  const task = phone.locator('#f-task_ids label.pick').first();
  const taskLine = (await task.textContent()).trim();
  const taskTitle = taskLine.replace(/^[\d.]+/, '').split(' · ')[0].trim();
  await task.locator('input').check();
  const deputy = phone.locator('#f-supervisor_ids label.pick').first();
  const deputyName = (await deputy.textContent()).split(' · ')[0].trim();
  await deputy.locator('input').check();
  await fits360(phone, 'the filled form');
  await shot(phone, 'phone-commitment-form');

  await Promise.all([phone.waitForURL(`${duban.base}/commitments`), phone.click('main form button')]);
  assert.match(await phone.textContent('[role=alert]'), /完成时限/, 'the message names the field');
  assert.match(await phone.textContent('#f-deadline + p.error'), /日期/, 'the error sits under the deadline');
  assert.ok(await phone.isChecked(`#f-task_ids input[value="${await task.locator('input').getAttribute('value')}"]`), 'the tick is kept');
  assert.ok(await phone.locator('#f-supervisor_ids input:checked').count() === 1, 'the deputy is kept');
  assert.equal(await phone.inputValue('#f-title'), '中小学课后服务全覆盖');
  await fits360(phone, 'the refused form');
  await shot(phone, 'phone-commitment-form-refused');

  await phone.fill('#f-deadline', '2026-12-31');
  await Promise.all([phone.waitForURL(/\/commitments\/\d+\?ok=created$/), phone.click('main form button')]);
  const id = /\/commitments\/(\d+)/.exec(phone.url())[1];
  const main = await phone.textContent('main');
  assert.ok(main.includes(taskTitle), `the task "${taskTitle}" is linked`);
  assert.ok(main.includes(deputyName), `the deputy ${deputyName} supervises`);
  await step(phone, 'submit', 'under_review');
  await fits360(phone, 'the submitted commitment');
  await shot(phone, 'phone-commitment-submitted');

  const desk = await browser.newPage({ viewport: DESK });
  await signIn(desk, duban.base, 'dkb2');
  await desk.goto(`${duban.base}/commitments/${id}`);
  await step(desk, 'approve', 'approved');
  await shot(desk, 'desk-commitment-approved');

  await phone.goto(`${duban.base}/commitments/${id}`);
  await step(phone, 'sign', 'published');
  assert.match(await phone.textContent('.notice'), /已亮诺/);
  await fits360(phone, 'the signed commitment');
  await shot(phone, 'phone-commitment-signed');

  // The public, not signed in (a new page is a new browser context: no cookies).
  const citizen = await browser.newPage({ viewport: PHONE });
  const res = await citizen.goto(`${duban.base}/public/commitments/${id}`);
  assert.equal(res.status(), 200);
  assert.match(await citizen.textContent('h1'), /中小学课后服务全覆盖/);
  const pub = await citizen.textContent('main');
  assert.ok(pub.includes(taskTitle), 'the public sees the linked task');
  assert.ok(pub.includes(deputyName), 'the public sees the supervisor');
  await fits360(citizen, 'the public commitment');
  await shot(citizen, 'phone-public-commitment');
  await citizen.locator('details summary').first().click();
  await fits360(citizen, 'the public commitment with its signed text open');

  // The internal pages at 360 px, in Chinese and in English; also the demo's amended
  // commitment, whose second version shows a table of what changed.
  await phone.goto(`${duban.base}/commitments`);
  const amended = await phone.locator('li.task', { hasText: '版本 2' }).locator('a').first().getAttribute('href');
  for (const lang of ['zh', 'en']) {
    if (lang === 'en') await phone.goto(`${duban.base}/lang/en`);
    for (const [path, name] of [['/commitments', 'list'], [`/commitments/${id}`, 'one'], [amended, 'amended'], ['/commitments/new', 'form'], ['/livelihood', 'livelihood']]) {
      await phone.goto(`${duban.base}${path}`);
      if (lang === 'en' && path === '/commitments') assert.match(await phone.textContent('h1'), /Commitments|commitments/i);
      await phone.locator('details:not([open]) > summary').evaluateAll((s) => s.forEach((x) => x.click()));
      await fits360(phone, `${path} (${lang}, every box open)`);
      await shot(phone, `phone-commitments-${name}-${lang}`);
    }
  }
});

// Signing in and browsing the organisation at phone and desk width, in Chinese and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startDuban, openBrowser, signIn, assertFitsWidth, PHONE, DESK, artifacts } from './harness.js';

let duban, browser;
before(async () => { duban = await startDuban(); browser = await openBrowser(); });
after(async () => { await browser?.close(); duban?.stop(); });

test('a liaison signs in on a phone, browses the unit and switches to English', async () => {
  const page = await browser.newPage({ viewport: PHONE });
  await page.goto(`${duban.base}/login`);
  await page.fill('#login', 'jxj-liaison');
  await page.fill('#password', 'wrong-password');
  await page.click('button[type=submit]');
  assert.match(await page.textContent('#password-err'), /密码不正确/);
  await signIn(page, duban.base, 'jxj-liaison');
  assert.match(await page.textContent('h1'), /我的工作/);
  assert.match(await page.textContent('main'), /经济和信息化局/);
  await assertFitsWidth(page, assert);
  await page.screenshot({ path: join(artifacts, 'phone-home.png'), fullPage: true });

  await page.click('nav.tabs >> text=组织机构');
  await page.click('main >> text=经信局');
  assert.match(await page.textContent('h1'), /永康市经济和信息化局/);
  assert.match(await page.textContent('main'), /工业发展科/);
  await assertFitsWidth(page, assert);
  await page.screenshot({ path: join(artifacts, 'phone-unit.png'), fullPage: true });

  await page.click('header >> text=English');
  assert.match(await page.textContent('main'), /Sections and posts/);
  await assertFitsWidth(page, assert);
  await page.screenshot({ path: join(artifacts, 'phone-unit-en.png'), fullPage: true });
  await page.close();
});

test('a unit outside the scope shows a refusal, not its people', async () => {
  const page = await browser.newPage({ viewport: PHONE });
  await signIn(page, duban.base, 'jxj-staff1');
  await page.goto(`${duban.base}/org`);
  // Other units are listed by name but not linked.
  assert.equal(await page.locator('main a', { hasText: '东城街道' }).count(), 0);
  const res = await page.goto(`${duban.base}/api/v1/units?kind=town`);
  const towns = await res.json();
  const town = towns.find((u) => u.code === 'town-dongcheng');
  assert.equal(town.in_scope, false);
  const refused = await page.goto(`${duban.base}/org/units/${town.id}`);
  assert.equal(refused.status(), 403);
  assert.match(await page.textContent('main'), /不在您负责的单位范围内/);
  await page.close();
});

test('an admin at a desk fixes a bad form, creates a unit and deactivates it', async () => {
  const page = await browser.newPage({ viewport: DESK });
  await signIn(page, duban.base, 'admin');
  await page.goto(`${duban.base}/admin/units/new`);
  await page.fill('#name', '永康市信访局');
  await page.fill('#code', 'Xin Fang');
  await page.click('main form button');
  assert.match(await page.textContent('#code-err'), /小写字母/);
  assert.equal(await page.inputValue('#name'), '永康市信访局', 'typed values are kept');
  await page.screenshot({ path: join(artifacts, 'desk-unit-form-error.png'), fullPage: true });
  await page.fill('#code', 'xfj');
  await page.fill('#short_name', '信访局');
  await Promise.all([page.waitForURL(/\/org\/units\/\d+\?ok=created/), page.click('main form button')]);
  assert.match(await page.textContent('h1'), /永康市信访局/);
  await page.click('button.danger');
  assert.match(await page.textContent('.notice'), /已停用/);
  assert.match(await page.textContent('h1'), /已停用/);
  await page.screenshot({ path: join(artifacts, 'desk-unit-deactivated.png'), fullPage: true });
  await page.close();
});

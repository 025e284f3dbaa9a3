// The public portal on a phone, without signing in: no request leaves the server, the page
// fits 360 px, a citizen reports a problem and gets a tracking number. Then a client written
// to the Open311 GeoReport v2 spec (open311_client.py, Python standard library only) files a
// request, and the supervision office finds both in its intake queue and accepts one into
// the closed loop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDuban, openBrowser, signIn, assertFitsWidth, PHONE, artifacts } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
let duban, browser;
before(async () => { duban = await startDuban(); browser = await openBrowser(); });
after(async () => { await browser?.close(); duban?.stop(); });

test('a citizen reports on a phone; an Open311 client files too; the office accepts', async () => {
  const page = await browser.newPage({ viewport: PHONE });
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(duban.base)) foreign.push(r.url()); });
  await page.goto(`${duban.base}/public`);
  assert.match(await page.textContent('h1'), /掌上督/);
  await assertFitsWidth(page, assert);
  await page.screenshot({ path: join(artifacts, 'portal-home.png'), fullPage: true });

  await page.click('nav.tabs >> text=我要反映');
  await page.selectOption('#r-category', 'roads');
  await page.fill('#r-description', '解放路口红绿灯不亮 <b>夜间</b>');
  await page.fill('#r-address', '解放路与人民路口');
  await page.fill('#r-phone', '13700009999');
  await assertFitsWidth(page, assert);
  await Promise.all([page.waitForURL(/\/public\/requests\/YK-/), page.click('main button')]);
  const tracking = (await page.textContent('h1 .code')).trim();
  assert.match(tracking, /^YK-\d{4}-[0-9A-Z]{16}$/);
  assert.match(await page.textContent('main'), /已受理/);
  assert.doesNotMatch(await page.textContent('main'), /13700009999/);
  await page.screenshot({ path: join(artifacts, 'portal-filed.png'), fullPage: true });
  assert.deepEqual(foreign, [], 'the portal makes no third-party requests');

  const client = spawnSync('python3', [join(here, 'open311_client.py'), `${duban.base}/open311/v2`], { encoding: 'utf8' });
  assert.equal(client.status, 0, client.stderr + client.stdout);
  const id = /service_request_id=(\S+)/.exec(client.stdout)[1];

  const office = await browser.newPage({ viewport: PHONE });
  await signIn(office, duban.base, 'dkb2');
  await office.goto(`${duban.base}/intake`);
  const queue = await office.textContent('main');
  assert.ok(queue.includes(tracking), 'the portal report is in the intake queue');
  assert.ok(queue.includes(id), 'the Open311 request is in the intake queue');
  await office.click(`main a:near(:text("${tracking}"))`);
  await Promise.all([office.waitForURL(/\/cases\/\d+/), office.click('form[action$="/accept"] button')]);
  assert.match(await office.textContent('main'), /群众反映/);
  await page.goto(`${duban.base}/public/requests/${tracking}`);
  assert.match(await page.textContent('main'), /已受理/);
});

test('a citizen finds commitments by leader and unit, searches, and evaluates one on a phone', async () => {
  const page = await browser.newPage({ viewport: PHONE });
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(duban.base)) foreign.push(r.url()); });
  await page.goto(`${duban.base}/public`);
  await Promise.all([page.waitForURL(/\/public\/commitments$/), page.click('nav.tabs >> text=公开承诺')]);
  assert.match(await page.textContent('h1'), /公开承诺/);
  const leaders = await page.locator('#leaders li.task').count();
  assert.ok(leaders >= 6, `the six vice-mayors' commitments are listed (${leaders})`);
  await assertFitsWidth(page, assert);
  await page.screenshot({ path: join(artifacts, 'portal-commitments.png'), fullPage: true });

  // By unit: the first unit in the list; the leaders' section empties.
  const unitName = (await page.locator('#c-unit option').nth(1).textContent()).trim();
  await page.selectOption('#c-unit', { index: 1 });
  await Promise.all([page.waitForURL(/unit=\d+/), page.click('#filter button')]);
  assert.equal(await page.locator('#leaders li.task').count(), 0);
  const units = await page.locator('#units li.task').allTextContents();
  assert.ok(units.length >= 1 && units.every((t) => t.includes(unitName)), `only ${unitName}: ${units}`);

  // Search from the tab: 托育 finds the 民生实事 project, which has its own page.
  await page.click('nav.tabs >> text=搜索');
  await page.fill('#s-q', '托育');
  await Promise.all([page.waitForURL(/\/public\/search\?q=/), page.click('main form button')]);
  assert.equal(await page.locator('#found-projects li.task').count(), 1);
  await assertFitsWidth(page, assert);
  await Promise.all([page.waitForURL(/\/public\/projects\/\d+/), page.click('#found-projects li.task a')]);
  assert.match(await page.textContent('main'), /满意/);
  await assertFitsWidth(page, assert);

  // 评诺: the commitment under evaluation, found through the public API.
  const all = await (await fetch(`${duban.base}/api/v1/public/commitments`)).json();
  const judged = all.find((c) => c.state === 'under_evaluation');
  assert.ok(judged, 'the demo has a commitment under evaluation');
  await page.goto(`${duban.base}/public/commitments/${judged.id}`);
  await Promise.all([page.waitForURL(/\/evaluate$/), page.click('text=我来评诺')]);
  await assertFitsWidth(page, assert);
  await page.check('input[name=verdict][value=partly_fulfilled]');
  await page.fill('#e-score', '72');
  await page.fill('#e-comment', '项目开工了，但投资进度还要加快 <i>谢谢</i>');
  await page.screenshot({ path: join(artifacts, 'portal-evaluate.png'), fullPage: true });
  await Promise.all([page.waitForURL(/evaluated=1/), page.click('main form button')]);
  assert.match(await page.textContent('[role=status]'), /已收到您的评价/);
  const evaluation = await page.textContent('#evaluation');
  assert.match(evaluation, /群众平均分/);
  assert.match(evaluation, /代表委员/);
  await assertFitsWidth(page, assert);
  await page.screenshot({ path: join(artifacts, 'portal-evaluated.png'), fullPage: true });
  assert.deepEqual(foreign, [], 'the portal makes no third-party requests');

  // The same pages in English fit too.
  await page.goto(`${duban.base}/lang/en?next=/public/commitments`);
  assert.match(await page.textContent('h1'), /Public commitments|commitments/i);
  await assertFitsWidth(page, assert);
  await page.goto(`${duban.base}/public/commitments/${judged.id}`);
  assert.match(await page.textContent('#evaluation'), /Public's mean/);
  await assertFitsWidth(page, assert);
});

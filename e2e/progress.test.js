// Visual tracking in a browser: a liaison reports this month's progress on a phone with a
// photo, the head approves on a phone, the office accepts at a desk; the task's light explains
// itself, the dashboard (phone, desk, large screen, English) counts it and drills down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { deflateSync } from 'node:zlib';
import { startDuban, openBrowser, signIn, assertFitsWidth, PHONE, DESK, artifacts } from './harness.js';

let duban, browser;
before(async () => { duban = await startDuban(); browser = await openBrowser(); });
after(async () => { await browser?.close(); duban?.stop(); });

const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

/** A small real PNG (a green square), as a phone camera would hand over a photo. */
function photo() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const w = 64, h = 48;
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) { const o = y * (w * 3 + 1) + 1 + x * 3; raw[o] = 30; raw[o + 1] = 142; raw[o + 2] = 62; }
  const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
  const file = join(mkdtempSync(join(tmpdir(), 'duban-photo-')), '现场.png');
  writeFileSync(file, png);
  return file;
}

/** Bytes a page transfers (the HTML; charts are inline SVG, there is nothing else). */
async function pageBytes(page, url) {
  return page.evaluate(async (u) => (await (await fetch(u)).arrayBuffer()).byteLength, url);
}

test('a report goes liaison → head → office and the light and dashboard follow', async () => {
  const phone = await browser.newPage({ viewport: PHONE });
  await signIn(phone, duban.base, 'jxj-liaison');
  await phone.click('nav.tabs >> text=进展填报');
  assert.match(await phone.textContent('h1'), /进展填报/);
  await assertFitsWidth(phone, assert);
  await shot(phone, 'phone-reports-due');
  // The first task not reported yet this period.
  const todo = phone.locator('li.task:has(.tag.flag) a').first();
  const title = (await todo.textContent()).trim();
  await todo.click();
  await phone.waitForURL(/\/report$/);
  await assertFitsWidth(phone, assert);
  // A wrong figure is refused with its field named, and nothing is sent.
  await phone.fill('#percent', '100');
  await phone.evaluate(() => { document.querySelector('#percent').value = '180'; document.querySelector('#percent').removeAttribute('max'); });
  await Promise.all([phone.waitForURL(/err=percent/), phone.click('button[value=send]')]);
  assert.match(await phone.textContent('.error'), /完成比例/);
  // The problem stands beside its field, and the field is marked.
  assert.equal(await phone.evaluate(() => document.querySelector('#percent').nextElementSibling?.dataset.field), 'percent');
  assert.equal(await phone.getAttribute('#percent', 'aria-invalid'), 'true');
  await phone.fill('#percent', '96');
  await phone.fill('#progress_text', '主体工程完工，正在组织验收。');
  await phone.setInputFiles('#files', photo());
  await shot(phone, 'phone-report-form');
  await Promise.all([phone.waitForURL(/ok=report_sent/), phone.click('button[value=send]')]);
  const taskUrl = phone.url().split('?')[0];
  assert.match(await phone.textContent('.notice'), /已报送/);
  await assertFitsWidth(phone, assert);

  const head = await browser.newPage({ viewport: PHONE });
  await signIn(head, duban.base, 'jxj-head');
  await head.goto(`${duban.base}/reports`);
  await head.click(`section:has(h2:has-text("待单位审核")) a:has-text("${title.replace(/^\S+\s/, '').slice(0, 8)}")`);
  assert.match(await head.textContent('main'), /主体工程完工/);
  assert.ok(await head.locator('.attachments img').count() >= 1, 'the photo shows as a thumbnail');
  await assertFitsWidth(head, assert);
  await shot(head, 'phone-report-to-approve');
  await Promise.all([head.waitForURL(/ok=reviewed/), head.click('button[value=approve]')]);

  const desk = await browser.newPage({ viewport: DESK });
  await signIn(desk, duban.base, 'dkb');
  await desk.goto(`${duban.base}/reports`);
  await desk.click(`section:has(h2:has-text("待督查室采纳")) a:has-text("${title.replace(/^\S+\s/, '').slice(0, 8)}")`);
  await shot(desk, 'desk-report-to-accept');
  await Promise.all([desk.waitForURL(/ok=reviewed/), desk.click('button[value=accept]')]);

  // The task shows the accepted figure and a light that says why.
  await desk.goto(taskUrl);
  const panel = await desk.textContent('#progress');
  assert.match(panel, /96%/);
  assert.match(panel, /(绿灯|黄灯|红灯)/);
  await shot(desk, 'desk-task-light');

  // Dashboards: the city at a desk and on a phone, the unit by drill-down, the large screen.
  await desk.goto(`${duban.base}/dashboard`);
  assert.match(await desk.textContent('h1'), /驾驶舱/);
  assert.ok(await desk.locator('svg[role=img]').count() >= 3, 'charts are inline SVG');
  assert.match(await desk.textContent('main'), /按时报送率排名/);
  await shot(desk, 'desk-dashboard');
  assert.ok(await pageBytes(desk, `${duban.base}/dashboard`) < 100 * 1024, 'the dashboard stays under 100 KB');
  await desk.locator('details:has(table) > summary').first().click();
  await desk.click('table a:has-text("经信局")');
  assert.match(await desk.textContent('h1'), /经济和信息化局/);
  await desk.click('nav.lights a.light-yellow');
  assert.match(desk.url(), /light=yellow/);
  await desk.goto(`${duban.base}/dashboard?screen=1`);
  await shot(desk, 'desk-dashboard-screen');

  await phone.goto(`${duban.base}/dashboard`);
  await assertFitsWidth(phone, assert);
  await shot(phone, 'phone-dashboard');
  await phone.goto(`${duban.base}/lang/en`);
  await phone.goto(`${duban.base}/dashboard`);
  assert.match(await phone.textContent('h1'), /Dashboard/);
  await assertFitsWidth(phone, assert);
  await shot(phone, 'phone-dashboard-en');
  for (const path of ['/reports', taskUrl.replace(duban.base, '')]) {
    assert.ok(await pageBytes(phone, `${duban.base}${path}`) < 100 * 1024, `${path} stays under 100 KB`);
  }
});

// The auditor's ledger at phone and desk width: filters, pages, one entry's before/after.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startDuban, openBrowser, signIn, assertFitsWidth, PHONE, DESK, artifacts } from './harness.js';

let duban, browser;
before(async () => { duban = await startDuban(); browser = await openBrowser(); });
after(async () => { await browser?.close(); duban?.stop(); });

for (const [name, viewport] of [['phone', PHONE], ['desk', DESK]]) {
  test(`the auditor filters the ledger and opens an entry on a ${name}`, async () => {
    const page = await browser.newPage({ viewport });
    await signIn(page, duban.base, 'auditor');
    await page.goto(`${duban.base}/ledger`);
    assert.match(await page.textContent('h1'), /审计账本/);
    assert.match(await page.textContent('main'), /校验通过/);
    await assertFitsWidth(page, assert);
    await page.screenshot({ path: join(artifacts, `${name}-ledger.png`), fullPage: true });

    await page.click('summary');
    await page.fill('#f-action', 'unit.');
    await Promise.all([page.waitForURL(/action=unit\./), page.click('form[role=search] button')]);
    const total = Number(await page.textContent('h1 .count'));
    assert.ok(total > 0, `unit entries: ${total}`);
    const codes = await page.locator('ul.ledger li code').allTextContents();
    assert.ok(codes.length > 0 && codes.every((c) => c.startsWith('unit.')), codes.join(' '));
    await assertFitsWidth(page, assert);
    await page.screenshot({ path: join(artifacts, `${name}-ledger-filtered.png`), fullPage: true });

    await page.click('ul.ledger li >> nth=0 >> a >> nth=0');
    assert.match(await page.textContent('h1'), /账本记录/);
    assert.match(await page.textContent('main'), /前一哈希/);
    await assertFitsWidth(page, assert);
    await page.screenshot({ path: join(artifacts, `${name}-ledger-entry.png`), fullPage: true });
    await page.close();
  });
}

// The burden figures (issue 14): taps and page loads a real person spends, measured in the
// browser on the demo and printed, and held to the targets —
//  - a liaison's monthly report of 10 unchanged tasks from the to-do list: ≤ 2 taps and
//    ≤ 1 page load per task;
//  - the office accepting 50 reports: ≤ 5 taps in all.
// A tap is a click the script makes; a page load is a main-frame navigation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDuban, openBrowser, signIn, assertFitsWidth, PHONE, DESK, artifacts } from './harness.js';

let duban, browser;
before(async () => { duban = await startDuban(); browser = await openBrowser(); });
after(async () => { await browser?.close(); duban?.stop(); });

/** A page whose taps and page loads are counted from `reset()` on. */
async function counted(viewport, login) {
  const page = await browser.newPage({ viewport });
  await signIn(page, duban.base, login);
  const n = { taps: 0, loads: 0 };
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) n.loads += 1; });
  return {
    page,
    n,
    reset() { n.taps = 0; n.loads = 0; },
    async tap(locator) {
      n.taps += 1;
      await Promise.all([page.waitForLoadState('load'), locator.click()]);
      await page.waitForLoadState('load');
    },
  };
}

/** Sends "no change" for the first `k` due tasks of the signed-in reporter, one tap each. */
async function sendUnchanged(c, k) {
  for (let i = 0; i < k; i++) {
    const button = c.page.locator('#due form.one-tap button').first();
    await c.tap(button);
  }
}

const figures = {};

test('a liaison sends 10 unchanged tasks from the to-do list', async () => {
  const c = await counted(PHONE, 'wglt-liaison');
  // From the to-do list: the first page load is opening it.
  c.reset();
  await c.page.goto(`${duban.base}/reports`);
  await assertFitsWidth(c.page, assert);
  const due = await c.page.locator('#due form.one-tap').count();
  assert.ok(due >= 10, `wglt has ${due} unchanged tasks to send`);
  const shownBefore = await c.page.locator('#due li.task').allTextContents();
  c.reset();
  await sendUnchanged(c, 10);
  figures.liaison = { tasks: 10, taps: c.n.taps, loads: c.n.loads };
  assert.ok(c.n.taps <= 2 * 10, `${c.n.taps} taps for 10 tasks`);
  assert.ok(c.n.loads <= 10, `${c.n.loads} page loads for 10 tasks`);
  // Ten fewer left to send, and each sent one waits for the head with its figure unchanged.
  assert.equal(await c.page.locator('#due form.one-tap').count(), due - 10);
  assert.match(await c.page.locator('.notice').first().textContent(), /./);
  const shownAfter = await c.page.locator('#due li.task').allTextContents();
  const percent = (t) => (t.match(/(\d+(?:\.\d+)?)%/) || [])[1];
  const before = new Map(shownBefore.map((t) => [t.split(/\s+/).slice(0, 3).join(' '), percent(t)]));
  for (const t of shownAfter) {
    const key = t.split(/\s+/).slice(0, 3).join(' ');
    if (before.has(key)) assert.equal(percent(t), before.get(key), `no number moved: ${key}`);
  }
  await c.page.screenshot({ path: join(artifacts, 'burden-liaison.png'), fullPage: true });
  await c.page.close();
});

test('the office accepts 50 reports in a few taps', async () => {
  // Units' heads send their unchanged tasks straight to the office (not counted).
  for (const head of ['zrzyj-head', 'zhzf-head', 'kjj-head']) {
    const h = await counted(PHONE, head);
    await h.page.goto(`${duban.base}/reports`);
    const k = await h.page.locator('#due form.one-tap').count();
    await sendUnchanged(h, k);
    await h.page.close();
  }
  const c = await counted(DESK, 'dkb2');
  await c.page.goto(`${duban.base}/reports`);
  const waiting = Number(await c.page.locator('#queue-accept h2 .count').textContent());
  assert.ok(waiting >= 50, `${waiting} reports wait for the office`);
  c.reset();
  // Only the "no change" ones: tick the filter, search, accept all shown.
  c.n.taps += 1;
  await c.page.locator('details:has(#queue-filter) > summary').click();
  c.n.taps += 1;
  await c.page.locator('#queue-filter input[name=no_change]').check();
  await c.tap(c.page.locator('#queue-filter button'));
  const shown = await c.page.locator('#queue-accept li.task').count();
  assert.ok(shown >= 50, `${shown} no-change reports shown`);
  await c.tap(c.page.locator('#queue-accept button.batch-all'));
  figures.office = { reports: shown, taps: c.n.taps, loads: c.n.loads };
  assert.match(c.page.url(), /no_change=1/, 'the queue comes back with its filter');
  await c.page.goto(`${duban.base}/reports`);
  const left = await c.page.locator('#queue-accept h2 .count').count()
    ? Number(await c.page.locator('#queue-accept h2 .count').textContent()) : 0;
  assert.equal(left, waiting - shown, 'every shown report accepted, none other');
  assert.ok(c.n.taps <= 5, `${c.n.taps} taps for ${shown} reports`);
  await c.page.screenshot({ path: join(artifacts, 'burden-office.png'), fullPage: true });
  await c.page.close();
  const line = `burden: liaison ${figures.liaison.taps} taps / ${figures.liaison.loads} page loads for ${figures.liaison.tasks} unchanged tasks; office ${figures.office.taps} taps / ${figures.office.loads} page loads to accept ${figures.office.reports} reports`;
  console.log(line);
  writeFileSync(join(artifacts, 'burden.json'), JSON.stringify(figures, null, 2));
});

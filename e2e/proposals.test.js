// 人大代表建议 in a browser: 交通运输局's liaison records the 报到 and the 现场 with the deputy
// on a suggestion the unit signed in (J2026-116, handed out in October, nothing recorded yet)
// and drafts the reply; 督考办 reviews it and the unit head signs it. The lead deputy signs in
// on a 360 px phone, reads the reply and rates it 不满意; the item is back with the unit for
// re-handling, with its own deadline. The office's 满意率 on /proposals/rates counts one more
// rated item and no more satisfied ones: its figure moves by exactly that.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startDuban, openBrowser, signIn, assertFitsWidth, PHONE, DESK, artifacts } from './harness.js';

let duban, browser;
before(async () => { duban = await startDuban(); browser = await openBrowser(); });
after(async () => { await browser?.close(); duban?.stop(); });

const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

const NUMBER = 'J2026-116';
const REPLY = '经研究，花街镇既有住宅加装电梯已纳入明年民生实事项目，首批 12 台年内完成审批，资金按市、镇两级分担。';

/** One rate of the city as /proposals/rates shows it: numerator, denominator, percentage. */
async function rate(page, measure) {
  await page.goto(`${duban.base}/proposals/rates`);
  const card = page.locator(`#rate-${measure}`);
  return {
    num: Number(await card.locator('[data-num]').getAttribute('data-num')),
    den: Number(await card.locator('[data-den]').getAttribute('data-den')),
    percent: (await card.locator('.sc-big').textContent()).trim(),
  };
}

/** A ratio as the page writes it: per mille rounded half up, "93.5%" (core::proposals::rates). */
function percentText(num, den) {
  const p = Math.floor((num * 2000 + den) / (2 * den));
  return `${Math.floor(p / 10)}.${p % 10}%`;
}

/** Opens the step's form (a <details> under "办理") and returns it. */
async function stepForm(page, label) {
  const details = page.locator('#steps details', { has: page.locator('summary', { hasText: label }) });
  await details.locator('summary').click();
  return details.locator('form');
}

/** Submits a step's form and waits for the item page to come back with its notice. */
async function submit(page, form) {
  await Promise.all([page.waitForURL(/\/proposals\/\d+\?ok=/), form.locator('button').click()]);
  assert.equal(await page.locator('p.error').count(), 0, 'the step is taken without a problem');
}

test('the unit records 报到 and 现场 and signs the reply; the deputy rates it 不满意 on a phone; the rate moves', async () => {
  // The office, at a desk: the city's 满意率 before.
  const desk = await browser.newPage({ viewport: DESK });
  await signIn(desk, duban.base, 'dkb2');
  const before = await rate(desk, 'satisfied');
  assert.ok(before.den > 0, 'the demo session has rated items');
  assert.equal(before.percent, percentText(before.num, before.den));

  // 交通运输局's liaison finds the item among the unit's, signed in and not yet met.
  const unit = await browser.newPage({ viewport: DESK });
  await signIn(unit, duban.base, 'jtysj-liaison');
  await unit.goto(`${duban.base}/proposals?q=${encodeURIComponent(NUMBER)}`);
  await Promise.all([unit.waitForURL(/\/proposals\/\d+$/), unit.locator('a', { hasText: NUMBER }).first().click()]);
  const item = unit.url();
  assert.match(await unit.textContent('p.meta'), /已签收/, `${NUMBER} is signed in`);
  assert.ok(await unit.locator('#contacts li.muted').count() > 0, 'no contact recorded yet');

  // 报到 (face to face) and 现场 (a site visit the unit head joins).
  for (const [stage, day, way, head] of [['report', '2026-11-10', 'face_to_face', false], ['site', '2026-11-18', 'site_visit', true]]) {
    const form = await stepForm(unit, '记录见面');
    await form.locator('#c-stage').selectOption(stage);
    await form.locator('#c-held').fill(day);
    await form.locator('#c-way').selectOption(way);
    await form.locator('#c-who').fill('局分管领导、综合运输科负责人；领衔代表');
    if (head) await form.locator('input[name=head_took_part]').check();
    await submit(unit, form);
  }
  const contacts = await unit.textContent('#contacts');
  assert.match(contacts, /2026-11-10 · 报到/);
  assert.match(contacts, /2026-11-18 · 现场/);
  assert.match(await unit.textContent('p.meta'), /办理中/);

  // The liaison drafts the reply (class B, being solved).
  const draft = await stepForm(unit, '拟写答复');
  await draft.locator('select[name=class]').selectOption('B');
  await draft.locator('textarea[name=note]').fill(REPLY);
  await submit(unit, draft);
  await shot(unit, 'desk-proposal-drafted');

  // 督考办 reviews it, keeping the class.
  await desk.goto(item);
  await submit(desk, await stepForm(desk, '审核答复'));
  assert.match(await desk.textContent('p.meta'), /待单位负责人签发/);

  // The unit head signs it: replied, 未评价 until the deputy rates it.
  const head = await browser.newPage({ viewport: DESK });
  await signIn(head, duban.base, 'jtysj-head');
  await head.goto(item);
  await submit(head, await stepForm(head, '签发答复'));
  assert.match(await head.textContent('p.meta'), /已答复/);
  assert.match(await head.textContent('p.meta'), /未评价/);
  assert.equal(await head.locator('#rate').count(), 0, 'a unit never rates for the proposer');

  // The lead deputy, on a phone: their own items, the reply, and 不满意 with a comment.
  const phone = await browser.newPage({ viewport: PHONE });
  await signIn(phone, duban.base, 'deputy2');
  await phone.goto(`${duban.base}/proposals/mine`);
  await assertFitsWidth(phone, assert);
  await Promise.all([phone.waitForURL(/\/proposals\/\d+$/), phone.locator('a', { hasText: NUMBER }).first().click()]);
  assert.equal(phone.url(), item);
  assert.ok(await phone.locator('#replies', { hasText: '首批 12 台年内完成审批' }).count() > 0, 'the deputy reads the reply');
  await assertFitsWidth(phone, assert);
  await shot(phone, 'phone-proposal-reply');
  await phone.locator('#rate label.pick', { hasText: '不满意' }).click();
  await phone.fill('#rate-note', '电梯加装只答复了审批，老人上下楼难的问题今年仍未解决。');
  await Promise.all([phone.waitForURL(/\/proposals\/\d+\?ok=/), phone.locator('#rate button').click()]);
  assert.match(await phone.textContent('p.meta'), /不满意重办/);
  assert.match(await phone.textContent('#replies'), /不满意/);
  await assertFitsWidth(phone, assert);
  await shot(phone, 'phone-proposal-rated');

  // Back with the unit: re-handling, with its deadline, and a new reply to draft.
  await unit.goto(item);
  assert.match(await unit.textContent('p.meta'), /不满意重办/);
  assert.match(await unit.textContent('dl.facts'), /重办期限/);
  assert.ok(await unit.locator('#steps summary', { hasText: '拟写答复' }).count() > 0, 'the unit drafts a second reply');
  await shot(unit, 'desk-proposal-rehandling');

  // The office: one more item in the denominator, none more in the numerator.
  const after = await rate(desk, 'satisfied');
  assert.deepEqual([after.num, after.den], [before.num, before.den + 1], `满意率 ${before.num}/${before.den} → ${after.num}/${after.den}`);
  assert.equal(after.percent, percentText(before.num, before.den + 1));
  assert.notEqual(after.percent, before.percent, `the figure moves (${before.percent} → ${after.percent})`);
  await shot(desk, 'desk-proposal-rates');

  // The office reads the same page on a phone too.
  const officePhone = await browser.newPage({ viewport: PHONE });
  await signIn(officePhone, duban.base, 'dkb2');
  const onPhone = await rate(officePhone, 'satisfied');
  assert.equal(onPhone.percent, after.percent);
  await assertFitsWidth(officePhone, assert);
  await shot(officePhone, 'phone-proposal-rates');
});

// 晒拼 on the day, in browsers: 督考办 opens the demo's draft second-half-year showcase. The big
// screen shows each presenter in presenter mode (the keyboard moves it on) beside the live
// results screen; six judges on 360 px phones — four with accounts, two guests through
// one-time judge links the office made — score the first four presenters as the office opens
// and closes each one's scoring. One judge heads 西城街道, the second presenter: the form does
// not offer that unit and the API refuses the card. One judge saves, changes and then submits.
// The results screen follows every submitted card within two seconds; after the office locks
// and publishes, its numbers equal those this test computes from the raw cards (the office's
// JSON of every card) with the trimmed-mean rules. Screenshots of the results and of one
// unit's page go to e2e/artifacts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startDuban, openBrowser, signIn, assertFitsWidth, PHONE, DESK, artifacts } from './harness.js';

let duban, browser;
before(async () => { duban = await startDuban(); browser = await openBrowser(); });
after(async () => { await browser?.close(); duban?.stop(); });

const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

/** The judges with accounts, their judge group (index) and the unit they head, if any. */
const ACCOUNTS = [
  { login: 'shuji', group: 0 },
  { login: 'deputy1', group: 1 },
  { login: 'czj-head', group: 2 },
  { login: 'town-xicheng-head', group: 2 },
];
const OWN_UNIT_JUDGE = 3;
const GUEST_GROUP = 3;

/**
 * What each judge (ACCOUNTS, then the two guests) scores for the first four presenters, one
 * whole number per criterion (工作实绩 40, 特色亮点 30, 直面短板 20, 精神面貌 10). Presenters 1
 * and 3 end on the same trimmed mean (84.25) with different dropped sums (160 and 155), so
 * the tie-breaker decides; presenter 2 has five cards (its own head does not score it).
 */
const even = (v) => [v, v, v, v];
const SCORES = [
  [even(80), even(90), even(82), [88, 92, 75, 90]],
  [even(85), even(70), even(84), [79, 81, 86, 77]],
  [even(90), even(78), even(86), [93, 85, 88, 95]],
  [even(88), null, even(85), [70, 74, 69, 80]],
  [even(84), even(81), even(60), [84, 90, 91, 62]],
  [even(70), even(83), even(95), [66, 71, 90, 85]],
];

/** Hundredths as the screen writes them: 8425 → "84.25". */
const hundredths = (v) => `${Math.trunc(v / 100)}.${String(v % 100).padStart(2, '0')}`;

/**
 * The results as the rules define them (DOMAIN §3.4, core::showcase::tally), from the raw
 * cards: each card's weighted total, per presenter the mean of the submitted cards after
 * dropping one highest and one lowest from five cards on, rounded half up to hundredths;
 * judge-group weights (when every group has one) apply after trimming within each group;
 * ranks per presenter group by score, then by the sum of the dropped cards.
 */
function computeResults(showcase, cards) {
  const weights = showcase.criteria.map((c) => c.weight);
  const weighted = showcase.judge_groups.length > 0 && showcase.judge_groups.every((g) => g.weight != null);
  const groupIndex = new Map(showcase.judge_groups.map((g, i) => [g.name, i]));
  const trimmed = (scores) => {
    const s = [...scores].sort((a, b) => a - b);
    const drop = showcase.trim && s.length >= 5;
    const kept = drop ? s.slice(1, -1) : s;
    return { num: kept.reduce((a, b) => a + b, 0), den: kept.length, dropped: drop ? 2 : 0, droppedSum: drop ? s[0] + s[s.length - 1] : 0 };
  };
  const roundHalfUp = (num, den) => Math.floor((2 * num + den) / (2 * den));
  const out = showcase.presenters.map((p) => {
    const mine = cards.filter((c) => c.presenter_id === p.id && c.submitted_at);
    const totals = mine.map((c) => {
      const total = c.scores.reduce((a, s, k) => a + s * weights[k], 0);
      assert.equal(c.total, total, `card ${c.id}: its total is Σ score × weight`);
      return { total, group: groupIndex.get(c.judge_group) };
    });
    const line = { presenter_id: p.id, group: p.group, cards: mine.length, dropped: 0, droppedSum: 0, score: null };
    if (!weighted) {
      if (totals.length) {
        const t = trimmed(totals.map((x) => x.total));
        Object.assign(line, { score: roundHalfUp(t.num, t.den), dropped: t.dropped, droppedSum: t.droppedSum });
      }
    } else {
      // Σ w·(num/den) / Σ w over the groups that scored, as one exact fraction.
      let num = 0n, den = 1n, wsum = 0n;
      showcase.judge_groups.forEach((g, i) => {
        const mineInGroup = totals.filter((x) => x.group === i).map((x) => x.total);
        if (!mineInGroup.length) return;
        const t = trimmed(mineInGroup);
        const w = BigInt(g.weight);
        num = num * BigInt(t.den) + w * BigInt(t.num) * den;
        den *= BigInt(t.den);
        wsum += w;
        line.dropped += t.dropped;
        line.droppedSum += t.droppedSum;
      });
      if (wsum > 0n) line.score = Number((2n * num + den * wsum) / (2n * den * wsum));
    }
    return line;
  });
  for (const group of new Set(out.map((l) => l.group))) {
    const scored = out.filter((l) => l.group === group && l.score !== null)
      .sort((a, b) => b.score - a.score || b.droppedSum - a.droppedSum);
    scored.forEach((l, i) => {
      const prev = scored[i - 1];
      l.rank = prev && prev.score === l.score && prev.droppedSum === l.droppedSum ? prev.rank : i + 1;
    });
  }
  return out;
}

/** The rows of the results screen, as a reader sees them. */
async function screenRows(page) {
  return page.locator('#sc-results tbody tr').evaluateAll((rows) => rows.map((tr) => {
    const td = [...tr.querySelectorAll('td')].map((c) => c.textContent.trim());
    return { presenter_id: Number(tr.dataset.presenter), group: td[0], rank: td[1], unit: td[2], score: td[3], cards: td[4], tie: td[5] };
  }));
}

/** The screen's rows equal the computed lines, one for one. */
function assertScreenEquals(rows, expected) {
  assert.equal(rows.length, expected.length, 'one row per presenter');
  for (const e of expected) {
    const row = rows.find((r) => r.presenter_id === e.presenter_id);
    assert.ok(row, `presenter ${e.presenter_id} is on the screen`);
    const score = row.score.replace(/\s*暂定$/, '');
    assert.equal(score, e.score === null ? '' : hundredths(e.score), `${row.unit}: score`);
    assert.equal(row.cards, e.dropped > 0 ? `${e.cards} (−${e.dropped})` : String(e.cards), `${row.unit}: cards`);
    assert.equal(row.tie, e.dropped > 0 ? hundredths(e.droppedSum) : '', `${row.unit}: tie-breaker`);
    assert.equal(row.rank, e.rank ? String(e.rank) : '', `${row.unit}: rank`);
    assert.equal(/暂定/.test(row.score), e.score !== null && e.cards < 5, `${row.unit}: provisional mark`);
  }
}

test('the big screen, six judges on phones (two guests) and the live results; the numbers equal the raw cards', async () => {
  // 督考办 at a desk: the draft second-half-year showcase and its presenters.
  const officeCtx = await browser.newContext({ viewport: DESK });
  const office = await officeCtx.newPage();
  await signIn(office, duban.base, 'dkb');
  const list = await (await office.request.get(`${duban.base}/api/v1/showcases`)).json();
  const draft = list.find((s) => s.half_year === '2026-H2');
  assert.ok(draft, 'the demo has a second-half-year showcase');
  assert.equal(draft.state, 'draft');
  const id = draft.id;
  const event = `${duban.base}/showcase/${id}`;
  let detail = await (await office.request.get(`${duban.base}/api/v1/showcases/${id}`)).json();
  const presenters = detail.presenters.slice(0, 4);
  assert.equal(presenters[1].unit_name, '西城街道', 'the second presenter is 西城街道');

  // The panel, through the event page: four accounts and two guest links.
  await office.goto(event);
  for (const j of ACCOUNTS) {
    await office.fill('#j-user', j.login);
    await office.selectOption('#j-group', String(j.group));
    await Promise.all([office.waitForURL((u) => u.pathname === `/showcase/${id}`), office.click('form[action$="/judges"] button')]);
    assert.equal(await office.locator('p.error').count(), 0, `${j.login} joins the panel`);
  }
  await office.fill('#g-count', '2');
  await office.selectOption('#g-group', String(GUEST_GROUP));
  await Promise.all([office.waitForURL(/\/guest-links$/), office.click('form[action$="/guest-links"] button')]);
  const links = (await office.locator('ul.secret code').allTextContents()).map((t) => t.trim());
  assert.equal(links.length, 2, 'two one-time links are shown once');
  for (const l of links) assert.match(l, /^\/showcase\/judge\/\S+$/);

  // The day begins.
  await office.goto(event);
  await Promise.all([office.waitForURL((u) => u.pathname === `/showcase/${id}`), office.click('button[name=command][value=open]')]);
  assert.match(await office.textContent('.meta .tag'), /进行中/);

  // The big screen: presenter mode on the first unit, the live results in a second window.
  const screenCtx = await browser.newContext({ viewport: DESK });
  const screen = await screenCtx.newPage();
  await signIn(screen, duban.base, 'dkb2');
  await screen.goto(`${event}/present/${presenters[0].id}`);
  const results = await screenCtx.newPage();
  await results.goto(`${event}/results`);
  assert.equal(await results.getAttribute('#sc-results', 'data-live'), '1', 'the results screen is live');

  // Six phones: four judges sign in, two open their guest link (the first device claims it).
  const judges = [];
  for (const j of ACCOUNTS) {
    const ctx = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    await signIn(page, duban.base, j.login);
    judges.push({ name: j.login, page, form: `${event}/score` });
  }
  for (const [i, path] of links.entries()) {
    const ctx = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    judges.push({ name: `guest ${i + 1}`, page: await ctx.newPage(), form: duban.base + path });
  }
  for (const j of judges) {
    await j.page.goto(j.form);
    assert.match(await j.page.textContent('main'), /现在没有可打分的单位/, `${j.name}: nothing open yet`);
    await assertFitsWidth(j.page, assert);
  }

  let submitted = 0;
  const lags = [];
  for (const [i, p] of presenters.entries()) {
    // The screen moves on with the keyboard; the office opens this presenter's scoring.
    if (i > 0) {
      await Promise.all([screen.waitForURL(`${event}/present/${p.id}`), screen.keyboard.press('ArrowRight')]);
    }
    assert.equal((await screen.textContent('h1')).includes(p.unit_name), true, `the screen shows ${p.unit_name}`);
    assert.match(await screen.textContent('#sc-timer'), /^\d+:\d\d$/, 'the countdown runs');
    await office.goto(event);
    const row = office.locator(`form[action$="/presenters/${p.id}/scoring"]`);
    await Promise.all([office.waitForURL((u) => u.pathname === `/showcase/${id}`), row.locator('button[value=open]').click()]);

    for (const [k, j] of judges.entries()) {
      const scores = SCORES[k][i];
      await j.page.goto(j.form);
      const card = j.page.locator('form.sc-card', { has: j.page.locator(`input[name=presenter_id][value="${p.id}"]`) });
      if (scores === null) {
        // Their own unit: not on the form, and the API refuses the card.
        assert.equal(k, OWN_UNIT_JUDGE);
        assert.equal(await card.count(), 0, `${j.name} is not offered their own unit`);
        const csrf = (await j.page.context().cookies()).find((c) => c.name === 'duban_csrf').value;
        const res = await j.page.request.post(`${duban.base}/api/v1/showcases/${id}/cards`, {
          headers: { 'X-CSRF-Token': csrf },
          data: { presenter_id: p.id, scores: even(100), submit: true },
        });
        assert.equal(res.status(), 403, 'a card for one\'s own unit is refused');
        continue;
      }
      const inputs = card.locator('input[name=score]');
      assert.equal(await inputs.count(), 4, `${j.name}: one field per criterion`);
      if (k === 0 && i === 3) {
        // Saved first, changed before submitting.
        for (let c = 0; c < 4; c++) await inputs.nth(c).fill('70');
        await Promise.all([j.page.waitForURL(/\?ok=saved$/), card.locator('button[name=save]').click()]);
        const again = j.page.locator('form.sc-card', { has: j.page.locator(`input[name=presenter_id][value="${p.id}"]`) }).locator('input[name=score]');
        assert.equal(await again.first().inputValue(), '70', 'the saved card comes back');
      }
      for (let c = 0; c < 4; c++) await inputs.nth(c).fill(String(scores[c]));
      await Promise.all([j.page.waitForURL(/\?ok=saved$/), card.locator('button[name=submit]').click()]);
      assert.equal(await j.page.locator('p.error').count(), 0, `${j.name}: the card is accepted`);
      const done = j.page.locator('form.sc-card', { has: j.page.locator(`input[name=presenter_id][value="${p.id}"]`) });
      assert.match(await done.locator('h2').textContent(), /已提交/, `${j.name}: submitted`);
      assert.equal(await done.locator('input[name=score]:disabled').count(), 4, 'a submitted card cannot change');
      assert.equal(await done.locator('button').count(), 0);
      submitted += 1;
      // The results screen shows the card within two seconds (it polls every second).
      const t0 = Date.now();
      await results.waitForFunction((n) => document.getElementById('sc-submitted').textContent.trim() === String(n), submitted, { timeout: 2000 });
      lags.push(Date.now() - t0);
    }
    await assertFitsWidth(judges[0].page, assert);
    await office.goto(event);
    await Promise.all([office.waitForURL((u) => u.pathname === `/showcase/${id}`), row.locator('button[value=close]').click()]);
    // Closed: the form no longer offers it.
    await judges[1].page.goto(judges[1].form);
    assert.equal(await judges[1].page.locator(`input[name=presenter_id][value="${p.id}"]`).count(), 0, 'scoring closed');
  }
  console.log(`showcase: ${submitted} cards; the live screen showed each after ${Math.min(...lags)}–${Math.max(...lags)} ms`);

  // The raw cards (the office's audit JSON) are exactly what the judges typed, nothing lost.
  const cards = await (await office.request.get(`${duban.base}/api/v1/showcases/${id}/cards`)).json();
  assert.equal(cards.length, 23, '6 judges × 4 presenters, less one own-unit card');
  for (const [i, p] of presenters.entries()) {
    const typed = SCORES.map((row) => row[i]).filter(Boolean).map((s) => s.join()).sort();
    const mine = cards.filter((c) => c.presenter_id === p.id);
    assert.deepEqual(mine.map((c) => c.scores.join()).sort(), typed, `${p.unit_name}: the cards hold what the judges typed`);
    assert.equal(mine.filter((c) => c.guest).length, 2, `${p.unit_name}: both guests scored`);
  }
  assert.ok(cards.every((c) => c.submitted_at), 'every card is submitted');

  // Live: the screen equals the computation before the lock too.
  detail = await (await office.request.get(`${duban.base}/api/v1/showcases/${id}`)).json();
  const expected = computeResults(detail, cards);
  await results.reload();
  assertScreenEquals(await screenRows(results), expected);
  // The design of SCORES: the tie on 84.25 is broken by the dropped cards.
  const line = (n) => expected.find((l) => l.presenter_id === presenters[n].id);
  assert.equal(line(0).score, 8425);
  assert.equal(line(2).score, 8425);
  assert.ok(line(0).rank < line(2).rank, 'the higher dropped sum ranks first');
  assert.equal(line(1).cards, 5);

  // The office locks and publishes; the published screen still equals the raw cards.
  await office.goto(event);
  await Promise.all([office.waitForURL((u) => u.pathname === `/showcase/${id}`), office.click('button[name=command][value=lock]')]);
  await Promise.all([office.waitForURL((u) => u.pathname === `/showcase/${id}`), office.click('button[name=command][value=publish]')]);
  assert.match(await office.textContent('.meta .tag'), /已公布/);
  await results.goto(`${event}/results`);
  assert.equal(await results.getAttribute('#sc-results', 'data-live'), '', 'published results no longer poll');
  const after = await (await office.request.get(`${duban.base}/api/v1/showcases/${id}/cards`)).json();
  assert.deepEqual(after, cards, 'the raw cards are kept as they were');
  assertScreenEquals(await screenRows(results), expected);
  await shot(results, 'showcase-results');

  // One unit's page on the unified template.
  const unitPage = await officeCtx.newPage();
  await unitPage.goto(`${event}/presenters/${presenters[0].id}`);
  assert.match(await unitPage.textContent('main'), /短板与差距/);
  await shot(unitPage, 'showcase-unit');
});

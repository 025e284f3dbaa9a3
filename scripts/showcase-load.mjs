#!/usr/bin/env node
// Load test of the half-year showcase (晒拼, issue 18): 300 judges submit their score cards
// within one minute against one `duban` server on SQLite on loopback, while a results screen
// polls the live ranking once a second as /static/showcase.js does.
//
// It starts `duban demo` (SQLite in a throw-away data directory, a free loopback port) unless
// DUBAN_URL names a running server; signs in as the office (dkb) and makes an API token; sets
// up a showcase through the API (the draft second-half-year's first presenters, one judge
// group, trimmed), makes one guest judge link per judge, opens the day and the presenters'
// scoring. Then every judge, at a random moment of the minute, opens their link on their own
// "phone" (a cookie jar) and submits one card per presenter through the scoring form.
//
// Checks, and exits 1 on any failure: every request answered without error and every card
// accepted; the office's raw cards are exactly the cards sent (one per judge and presenter,
// same scores, none lost, none twice); the results count every card once and their scores
// equal the trimmed mean computed here from the cards sent; the live screen reflected every
// submitted card within 2 s. Prints p50/p99/max of the submit and of the results poll, and the
// screen's lag.
//
// Not part of CI. Run from the repository root after `cargo build -p duban`:
//   node scripts/showcase-load.mjs                 # 300 judges, 2 presenters, 60 s
//   JUDGES=300 PRESENTERS=2 WINDOW_S=60 DUBAN_BIN=target/debug/duban node scripts/showcase-load.mjs
//   DUBAN_URL=http://127.0.0.1:8080 node scripts/showcase-load.mjs   # a running demo server
// Node 20 or later (built-in fetch), no packages.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const JUDGES = Number(process.env.JUDGES || 300);
const PRESENTERS = Number(process.env.PRESENTERS || 2);
const WINDOW_MS = Number(process.env.WINDOW_S || 60) * 1000;
const POLL_MS = 1000; // what the results screen does
const MAX_LAG_MS = 2000;
const DEADLINE_MS = 10 * 60 * 1000; // the whole run, start-up included
const here = dirname(fileURLToPath(import.meta.url));

const failures = [];
const fail = (msg) => { failures.push(msg); console.error(`FAIL: ${msg}`); };
const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A minimal cookie jar over fetch: one per phone. */
class Browser {
  constructor(base) { this.base = base; this.cookies = new Map(); }
  header() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
  async fetch(path, init = {}) {
    const headers = { ...(init.headers || {}), cookie: this.header() };
    const res = await fetch(this.base + path, { ...init, headers, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
    return res;
  }
  /** GETs an HTML page and returns it with its form's CSRF token. */
  async page(path) {
    const res = await this.fetch(path);
    const html = await res.text();
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
    const m = html.match(/name="_csrf" value="([^"]+)"/);
    return { html, csrf: m ? m[1] : null };
  }
  async postForm(path, pairs) {
    const body = new URLSearchParams(pairs).toString();
    return this.fetch(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function startServer() {
  if (process.env.DUBAN_URL) return { base: process.env.DUBAN_URL.replace(/\/$/, ''), stop: () => {} };
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'duban-load-'));
  const bin = process.env.DUBAN_BIN || join(here, '..', 'target', 'debug', 'duban');
  const child = spawn(bin, ['demo', '--data-dir', dir], {
    env: { ...process.env, DUBAN_SERVER__LISTEN: `127.0.0.1:${port}`, DATABASE_URL: '', DUBAN_LOG: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => { child.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }); };
  for (let i = 0; i < 3000; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) return { base, stop }; } catch { /* not yet */ }
    if (child.exitCode !== null) throw new Error(`duban exited with ${child.exitCode}`);
    await sleep(100);
  }
  stop();
  throw new Error('duban did not answer /healthz within 5 minutes');
}

/** Signs in as the office and returns an API client with a bearer token. */
async function officeApi(base) {
  const b = new Browser(base);
  const { csrf } = await b.page('/login');
  const res = await b.postForm('/login', { _csrf: csrf, login: process.env.OFFICE || 'dkb', password: process.env.PASSWORD || 'duban2026', next: '/' });
  if (res.status !== 303 || !b.cookies.has('duban_session')) throw new Error(`office sign-in: ${res.status}`);
  const t = await b.fetch('/api/v1/tokens', {
    method: 'POST', body: JSON.stringify({ name: 'showcase load test' }),
    headers: { 'content-type': 'application/json', 'x-csrf-token': b.cookies.get('duban_csrf') },
  });
  if (t.status !== 201) throw new Error(`token: ${t.status} ${await t.text()}`);
  const { token } = await t.json();
  const call = async (method, path, body) => {
    const r = await fetch(base + path, {
      method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(30_000),
    });
    const text = await r.text();
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return call;
}

const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (v) => `${v.toFixed(1)} ms`;

/** The trimmed mean of card totals in hundredths, as core::showcase::tally rounds it. */
function trimmedMean(totals) {
  const s = [...totals].sort((a, b) => a - b);
  const kept = s.length >= 5 ? s.slice(1, -1) : s;
  const sum = kept.reduce((a, b) => a + b, 0);
  return Math.floor((2 * sum + kept.length) / (2 * kept.length));
}

/** Deterministic scores per judge and presenter (no randomness in what is checked). */
const scoresOf = (j, p) => [0, 1, 2, 3].map((c) => 60 + ((j * 7 + p * 13 + c * 5) % 41));

async function main() {
  const started = now();
  const server = await startServer();
  const watchdog = setTimeout(() => { fail('the run took longer than its bound'); server.stop(); process.exit(1); }, DEADLINE_MS);
  try {
    const api = await officeApi(server.base);
    // Set up through the API: the draft's first presenters, one judge group, trimmed.
    const draft = (await api('GET', '/api/v1/showcases')).find((s) => s.state === 'draft');
    if (!draft) throw new Error('no draft showcase in the demo');
    const units = (await api('GET', `/api/v1/showcases/${draft.id}`)).presenters.slice(0, PRESENTERS);
    const weights = [40, 30, 20, 10];
    const { id } = await api('POST', '/api/v1/showcases', {
      title: '负载测试晒拼', held_on: '2027-01-16', half_year: '2026-H2', minutes: 8, trim: true,
      criteria: ['工作实绩', '特色亮点', '直面短板', '精神面貌'].map((name, i) => ({ name, weight: weights[i] })),
      judge_groups: [{ name: '评委' }],
      presenters: units.map((u) => ({ unit_id: u.unit_id, group: u.group })),
    });
    const links = await api('POST', `/api/v1/showcases/${id}/guest-links`, { judge_group: 0, count: JUDGES, name: '评委' });
    if (links.length !== JUDGES) throw new Error(`${links.length} links made, not ${JUDGES}`);
    await api('POST', `/api/v1/showcases/${id}/state`, { command: 'open' });
    const presenters = (await api('GET', `/api/v1/showcases/${id}`)).presenters;
    for (const p of presenters) await api('POST', `/api/v1/showcases/${id}/presenters/${p.id}/scoring`, { command: 'open' });
    console.log(`showcase ${id}: ${JUDGES} guest judges, ${presenters.length} presenters, cards within ${WINDOW_MS / 1000} s (set up in ${((now() - started) / 1000).toFixed(1)} s)`);

    // The results screen: one poll a second, each response with when it arrived.
    const polls = [];
    let polling = true;
    const t0 = now();
    const poller = (async () => {
      while (polling) {
        const sent = now();
        try {
          const r = await api('GET', `/api/v1/showcases/${id}/results`);
          polls.push({ sent, at: now(), submitted: r.submitted });
        } catch (e) { fail(`results poll: ${e.message}`); }
        await sleep(Math.max(0, POLL_MS - (now() - sent)));
      }
    })();

    // The judges: each opens the link at a random moment, then submits one card per presenter.
    const submits = []; // { ms, done }
    const opens = [];
    const sentCards = new Map(); // `${judge_id}/${presenter_id}` → scores
    await Promise.all(links.map(async (link, j) => {
      await sleep(Math.random() * (WINDOW_MS - 8000));
      const phone = new Browser(server.base);
      try {
        let t = now();
        const { csrf } = await phone.page(link.path);
        opens.push(now() - t);
        if (!csrf) throw new Error('no form on the judge page');
        for (const p of presenters) {
          await sleep(500 + Math.random() * 2000); // typing four numbers
          const scores = scoresOf(j, p.position);
          const pairs = [['_csrf', csrf], ['presenter_id', String(p.id)], ...scores.map((s) => ['score', String(s)]), ['submit', '1']];
          t = now();
          const res = await phone.postForm(link.path, pairs);
          const done = now();
          await res.arrayBuffer();
          const to = res.headers.get('location') || '';
          if (res.status !== 303 || !to.endsWith('?ok=saved')) throw new Error(`card for presenter ${p.id}: ${res.status} → ${to}`);
          submits.push({ ms: done - t, done });
          sentCards.set(`${link.judge_id}/${p.id}`, scores);
        }
      } catch (e) { fail(`judge ${j + 1}: ${e.message}`); }
    }));
    const loadMs = now() - t0;
    await sleep(POLL_MS + 500);
    polling = false;
    await poller;

    // Raw cards: exactly what was sent, once each.
    const cards = await api('GET', `/api/v1/showcases/${id}/cards`);
    const expected = JUDGES * presenters.length;
    if (sentCards.size !== expected) fail(`${sentCards.size} cards accepted of ${expected}`);
    if (cards.length !== sentCards.size) fail(`${cards.length} raw cards for ${sentCards.size} accepted`);
    const seen = new Set();
    for (const c of cards) {
      const key = `${c.judge_id}/${c.presenter_id}`;
      if (seen.has(key)) fail(`card ${key} stored twice`);
      seen.add(key);
      const want = sentCards.get(key);
      if (!want) fail(`card ${key} was never sent`);
      else if (want.join() !== c.scores.join()) fail(`card ${key}: stored ${c.scores} but sent ${want}`);
      if (!c.submitted_at) fail(`card ${key} not submitted`);
      const total = c.scores.reduce((a, s, k) => a + s * weights[k], 0);
      if (total !== c.total) fail(`card ${key}: total ${c.total}, Σ score × weight ${total}`);
    }
    // Results: every card counted once, scores equal the trimmed mean of what was sent.
    const results = await api('GET', `/api/v1/showcases/${id}/results`);
    if (results.submitted !== sentCards.size) fail(`results count ${results.submitted} cards, ${sentCards.size} were accepted`);
    for (const p of presenters) {
      const totals = [...sentCards].filter(([k]) => k.endsWith(`/${p.id}`)).map(([, s]) => s.reduce((a, v, k) => a + v * weights[k], 0));
      const line = results.lines.find((l) => l.presenter_id === p.id);
      if (!line) { fail(`presenter ${p.id} missing from the results`); continue; }
      if (line.cards !== totals.length) fail(`${p.unit_name}: ${line.cards} cards counted, ${totals.length} sent`);
      if (line.score_hundredths !== trimmedMean(totals)) fail(`${p.unit_name}: score ${line.score_hundredths}, computed ${trimmedMean(totals)}`);
    }

    // The live screen's lag: for the k-th accepted card, the first poll answered after it
    // was accepted that counts at least k cards.
    const done = submits.map((s) => s.done).sort((a, b) => a - b);
    const lags = done.map((at, k) => {
      const p = polls.find((q) => q.at >= at && q.submitted >= k + 1);
      return p ? p.at - at : Infinity;
    });
    const maxLag = Math.max(...lags);
    if (!(maxLag < MAX_LAG_MS)) fail(`the live screen lagged ${maxLag.toFixed(0)} ms behind a card`);
    const submitMs = submits.map((s) => s.ms);
    const pollMs = polls.map((q) => q.at - q.sent);
    console.log(`cards: ${sentCards.size} accepted, ${cards.length} stored, ${results.submitted} counted; load ${(loadMs / 1000).toFixed(1)} s`);
    console.log(`submit (POST card → 303): n=${submitMs.length} p50 ${ms(pct(submitMs, 50))} p99 ${ms(pct(submitMs, 99))} max ${ms(Math.max(...submitMs))}`);
    console.log(`judge page (GET link): n=${opens.length} p50 ${ms(pct(opens, 50))} p99 ${ms(pct(opens, 99))}`);
    console.log(`results poll: n=${pollMs.length} p50 ${ms(pct(pollMs, 50))} p99 ${ms(pct(pollMs, 99))} max ${ms(Math.max(...pollMs))}`);
    console.log(`live screen lag after a card: p50 ${ms(pct(lags, 50))} p99 ${ms(pct(lags, 99))} max ${ms(maxLag)} (limit ${MAX_LAG_MS} ms)`);
  } catch (e) {
    fail(e.stack || String(e));
  } finally {
    clearTimeout(watchdog);
    server.stop();
  }
  if (failures.length) {
    console.error(`${failures.length} failure(s)`);
    process.exit(1);
  }
  console.log('OK');
}

main();

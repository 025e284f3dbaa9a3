// Starts `duban demo` on a free port with a throw-away data directory, and opens Debian's
// headless chromium. Used by every browser test file.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/**
 * Starts the demo and resolves once it answers /healthz. `dir` reuses another server's data
 * directory (a second process on the same database); `env` adds settings, e.g.
 * `DUBAN_TIME__PINNED` for a server whose clock starts at another instant.
 */
export async function startDuban({ dir = mkdtempSync(join(tmpdir(), 'duban-e2e-')), env = {} } = {}) {
  const port = await freePort();
  const bin = process.env.DUBAN_BIN || join(here, '..', 'target', 'debug', 'duban');
  // scripts/any-date.sh sets DUBAN_FAKE_DAY: the server then runs with its wall clock on that
  // day (libfaketime), and the demo must tell the same story.
  const fake = process.env.DUBAN_FAKE_DAY
    ? { LD_PRELOAD: '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1', FAKETIME: `@${process.env.DUBAN_FAKE_DAY}`, FAKETIME_DONT_FAKE_MONOTONIC: '1', TZ: 'UTC' }
    : {};
  const child = spawn(bin, ['demo', '--data-dir', dir], {
    env: { ...process.env, ...fake, ...env, DUBAN_SERVER__LISTEN: `127.0.0.1:${port}`, DATABASE_URL: '', DUBAN_LOG: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  // The demo loads before it serves (a debug build takes some 10-20 s with its session of
  // suggestions and proposals): wait up to a minute.
  for (let i = 0; i < 600; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) return { base, dir, stop: () => child.kill('SIGTERM') }; } catch { /* not yet */ }
    if (child.exitCode !== null) throw new Error(`duban exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error('duban did not answer /healthz within 60 s');
}

export async function openBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const PHONE = { width: 360, height: 740 };
export const DESK = { width: 1280, height: 800 };

export async function signIn(page, base, login, password = 'duban2026') {
  await page.goto(`${base}/login`);
  await page.fill('#login', login);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);
}

/** The page must not scroll sideways (the tab bar may, inside itself). */
export async function assertFitsWidth(page, assert) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `page is ${scroll}px wide in a ${width}px window`);
}

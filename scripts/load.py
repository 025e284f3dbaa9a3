#!/usr/bin/env python3
"""A small load generator for duban (issue 20's questions), standard library only.

Signs in once per client thread with a demo account (session cookie), then for each path and
each concurrency runs GET requests for a fixed time on keep-alive connections and prints
requests per second, p50 and p99 latency, and errors. With --pid it also prints the server's
resident memory (VmRSS) before the run, after a warm-up and at the end.

Loopback only: refuses any host but 127.0.0.1 / localhost. Bounded: --seconds per cell.

  python3 scripts/load.py --base http://127.0.0.1:8080 --user dkb --seconds 10 \
      --concurrency 1,8 --pid $(pgrep -f 'duban.*serve') /dashboard /api/v1/dashboard
"""
import argparse
import http.client
import re
import sys
import threading
import time
import urllib.parse


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Session:
    def __init__(self, host, port, user, password):
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies = {}
        self._get("/login")
        body = urllib.parse.urlencode(
            {"login": user, "password": password, "_csrf": self.cookies.get("duban_csrf", "")}
        )
        status, _ = self._request(
            "POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if status != 303:
            raise SystemExit(f"sign-in of {user} answered {status}")

    def _request(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.conn.request(method, path, body=body, headers=h)
        r = self.conn.getresponse()
        data = r.read()
        for v in r.headers.get_all("Set-Cookie") or []:
            m = re.match(r"([^=]+)=([^;]*)", v)
            if m:
                self.cookies[m.group(1)] = m.group(2)
        return r.status, data

    def _get(self, path):
        return self._request("GET", path)


def run_cell(sessions, path, seconds):
    latencies, errors = [], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(s):
        mine, bad = [], 0
        while time.monotonic() < deadline:
            t = time.perf_counter()
            try:
                status, _ = s._get(path)
                if status != 200:
                    bad += 1
            except Exception:
                bad += 1
            mine.append(time.perf_counter() - t)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker, args=(s,)) for s in sessions]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    latencies.sort()
    n = len(latencies)
    pct = lambda p: latencies[min(n - 1, int(p * n))] * 1000 if n else float("nan")
    return n / elapsed, pct(0.5), pct(0.99), errors[0], n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8080")
    ap.add_argument("--user", default="dkb")
    ap.add_argument("--password", default="duban2026")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--concurrency", default="1,8")
    ap.add_argument("--pid", type=int)
    ap.add_argument("paths", nargs="+")
    a = ap.parse_args()
    u = urllib.parse.urlparse(a.base)
    if u.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback only")
    levels = [int(c) for c in a.concurrency.split(",")]
    if a.seconds <= 0 or a.seconds > 120 or max(levels) > 64:
        raise SystemExit("--seconds must be in (0, 120] and concurrency at most 64")
    sessions = [Session(u.hostname, u.port or 80, a.user, a.password) for _ in range(max(levels))]
    if a.pid:
        print(f"rss before warm-up: {rss_mib(a.pid):.0f} MiB")
    for p in a.paths:  # warm-up: one pass of each path
        sessions[0]._get(p)
    if a.pid:
        print(f"rss after warm-up: {rss_mib(a.pid):.0f} MiB")
    failed = False
    print(f"{'path':50} {'c':>3} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for p in a.paths:
        for c in levels:
            rps, p50, p99, errs, n = run_cell(sessions[:c], p, a.seconds)
            failed |= errs > 0
            print(f"{p:50} {c:>3} {rps:8.1f} {p50:8.1f} {p99:8.1f} {errs:>6}")
    if a.pid:
        print(f"rss at the end: {rss_mib(a.pid):.0f} MiB")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

"""Web benchmark: pages of the demo organisation served by gunicorn, on loopback.

It seeds the demo into a throw-away data directory, starts `twoway serve`, signs in
as the demo coordinator and a demo participant, and measures latency and
throughput of their pages. /healthz (one SELECT 1) is measured in the same run as
the reference, because this machine is noisy. Last, the participant's home page is
measured again while other clients keep guessing a password: sign-in throttling
refuses them before any password hashing, so the page should hardly slow down.

    .venv/bin/python bench/web.py [--requests 400] [--concurrency 4] [--people 240]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from docsection import update_section

HOST, PORT = "127.0.0.1", 8765
ROOT = Path(__file__).resolve().parents[1]
TWOWAY = [sys.executable, "-m", "twoway.cli"]


def _env(data_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env["TWOWAY_DATA_DIR"] = data_dir
    return env


def _start_server(data_dir: str, people: int) -> subprocess.Popen:
    env = _env(data_dir)
    subprocess.run([*TWOWAY, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run(
        [*TWOWAY, "seed-demo", f"--people={people}"], env=env, check=True, capture_output=True
    )
    server = subprocess.Popen(
        [*TWOWAY, "serve", "--host", HOST, "--port", str(PORT), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            _get("/healthz", cookie="")
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


def _get(path: str, cookie: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def _post_sign_in(email: str, password: str) -> http.client.HTTPResponse:
    """Post the real sign-in form (with its CSRF token); the response, body read."""
    connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
    connection.request("GET", "/accounts/sign-in/")
    response = connection.getresponse()
    page = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = f"csrfmiddlewaretoken={token}&username={email}&password={password}"
    connection.request(
        "POST",
        "/accounts/sign-in/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": f"http://{HOST}:{PORT}/accounts/sign-in/",
        },
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _sign_in(email: str) -> str:
    """Sign in through the real form and return the session cookie."""
    response = _post_sign_in(email, "twoway-demo")
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
    if response.status != 302 or not session:
        raise RuntimeError(f"sign-in as {email} failed ({response.status})")
    return f"sessionid={session.group(1)}"


def _measure(path: str, cookie: str, requests: int, concurrency: int) -> dict[str, float]:
    def one(_: int) -> float:
        started = time.perf_counter()
        status, _body = _get(path, cookie)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        return time.perf_counter() - started

    for i in range(10):  # warm up both workers
        one(i)
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = sorted(pool.map(one, range(requests)))
    elapsed = time.perf_counter() - started
    return {
        "req_per_s": requests / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


def _pair_path(cookie: str) -> str:
    """The first pairing linked from the person's home page."""
    _status, body = _get("/", cookie)
    return re.search(r'href="(/pairings/\d+/)"', body.decode()).group(1)


class Guessers:
    """Clients that keep posting wrong passwords for one account, as a guessing attack."""

    def __init__(self, clients: int):
        self.stop = threading.Event()
        self.answers: dict[int, int] = {}
        self.threads = [threading.Thread(target=self._guess, daemon=True) for _ in range(clients)]

    def _guess(self) -> None:
        while not self.stop.is_set():
            status = _post_sign_in("margaret.lindqvist@harbourline.example", "guess").status
            self.answers[status] = self.answers.get(status, 0) + 1

    def __enter__(self) -> Guessers:
        for thread in self.threads:
            thread.start()
        time.sleep(1)  # let the guessing get going
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--people", type=int, default=240)
    parser.add_argument("--no-doc", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="twoway-bench-") as data_dir:
        server = _start_server(data_dir, args.people)
        try:
            jamie = _sign_in("jamie.chen@harbourline.example")
            pair = _pair_path(jamie)
            pages = [
                ("/healthz (reference)", "/healthz", ""),
                ("home, coordinator", "/", _sign_in("priya.raman@harbourline.example")),
                ("home, participant", "/", jamie),
                ("pairing overview (balance chart, prompts)", pair, jamie),
                ("conversations of a pairing", pair + "conversations/", jamie),
                ("journal", "/journal/", jamie),
            ]
            header = (
                f"{args.people} people (demo organisation), {args.requests} requests per page, "
                f"{args.concurrency} concurrent clients on loopback, gunicorn with 2 workers, "
                "SQLite. /healthz (one `SELECT 1`, on a connection of its own with a deadline) "
                "is the reference measured in the same run. The last row measures the "
                "participant's home page again while other clients keep posting wrong passwords "
                "for one account: after the lock-out they get HTTP 429 before any Argon2 "
                "hashing, and the answers they got are counted in the row.\n"
            )
            rows = ["| page | req/s | p50 ms | p95 ms |", "|---|---|---|---|"]
            print(header)
            for label, path, cookie in pages:
                m = _measure(path, cookie, args.requests, args.concurrency)
                rows.append(
                    f"| {label} | {m['req_per_s']:.0f} | {m['p50_ms']:.1f} | {m['p95_ms']:.1f} |"
                )
                print(rows[-1])
            with Guessers(args.concurrency) as guessers:
                m = _measure("/", jamie, args.requests, args.concurrency)
            answers = ", ".join(f"{n} × {code}" for code, n in sorted(guessers.answers.items()))
            rows.append(
                f"| home, participant, while {args.concurrency} other clients guess a "
                f"password ({answers}) | {m['req_per_s']:.0f} | {m['p50_ms']:.1f} "
                f"| {m['p95_ms']:.1f} |"
            )
            print(rows[-1])
            if not args.no_doc:
                command = "python bench/web.py"
                update_section(
                    "web", "Web", f"Command: `{command}`. {header}\n" + "\n".join(rows) + "\n"
                )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()

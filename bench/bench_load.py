"""Load: simulated users against `kommunstod serve` (1 and 2 workers) on a `chroma run` server.

    PYTHONPATH=. nice -n 10 .venv/bin/python -m bench.bench_load [--seconds 30] [--users 20 50]

Each user is an asyncio task with its own httpx client connection: it asks, reads the answer,
thinks 1–3 s (an officer reading it) and asks again until the time is up; no request starts after
the deadline and every request has a 30 s timeout, so a run always stops. The questions mix
in-domain questions of evals/sets/shared_corpus.yaml (follow-ups with their history included),
out-of-domain questions of ../shared/swequad-dev, and filters (region, municipality, examples).
Baseline: the same users against 1 worker. The shared 2-core machine shortens runs to 30 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import time

import httpx
import yaml

from bench.common import CACHE, ROOT, Row, p50_p95, write_rows
from bench.servers import (
    chroma_server,
    exit_on_sigterm,
    kommunstod_server,
    tree_cpu_seconds,
    tree_peak_rss_mb,
    wait_http,
)

CMD = "PYTHONPATH=. nice -n 10 .venv/bin/python -m bench.bench_load"
FILTERS = [{}, {}, {}, {"region": ["nationell"]}, {"municipality": ["Hagfors"]}, {"examples_only": True}]


def requests_pool(seed: int = 7) -> list[dict]:
    items = yaml.safe_load((ROOT / "evals" / "sets" / "shared_corpus.yaml").read_text(encoding="utf-8"))["items"]
    pool = [{"question": i["question"], "history": i.get("history") or []} for i in items]
    lines = (ROOT.parent / "shared" / "swequad-dev" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    rng = random.Random(seed)
    pool += [{"question": json.loads(line)["question"], "history": []} for line in rng.sample(lines, 200)]
    for body in pool:
        body["filters"] = rng.choice(FILTERS)
    rng.shuffle(pool)
    return pool


async def user(base: str, pool: list[dict], deadline: float, rng: random.Random, out: list) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        while time.monotonic() < deadline:
            body = rng.choice(pool)
            started = time.perf_counter()
            try:
                res = await client.post("/api/ask", json=body)
                ok = res.status_code == 200
            except httpx.HTTPError:
                ok = False
            out.append((time.perf_counter() - started, ok))
            await asyncio.sleep(min(rng.uniform(1.0, 3.0), max(0.0, deadline - time.monotonic())))


async def run_users(base: str, users: int, seconds: float, pool: list[dict]) -> list[tuple[float, bool]]:
    out: list[tuple[float, bool]] = []
    deadline = time.monotonic() + seconds
    tasks = [user(base, pool, deadline, random.Random(i), out) for i in range(users)]
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=seconds + 60)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--users", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    exit_on_sigterm()
    from bench.scale_corpus import scaled_home

    home = scaled_home(1)
    chroma_dir = CACHE / "work" / "load-chroma"
    shutil.rmtree(chroma_dir, ignore_errors=True)
    shutil.copytree(home / "chroma", chroma_dir)
    pool = requests_pool()
    results = []
    with chroma_server(chroma_dir) as chroma:
        for workers in args.workers:
            with kommunstod_server(home, workers, chroma) as (base, proc):
                wait_http(f"{base}/health", 180)
                asyncio.run(run_users(base, 2, 5, pool))  # each worker loads its model and lexical index
                for users in args.users:
                    cpu_before = tree_cpu_seconds(proc.pid)
                    out = asyncio.run(run_users(base, users, args.seconds, pool))
                    cpu = tree_cpu_seconds(proc.pid) - cpu_before
                    times = [t * 1000 for t, _ in out]
                    p50, p95 = p50_p95(times)
                    results.append(
                        {
                            "workers": workers,
                            "users": users,
                            "requests": len(out),
                            "errors": sum(not ok for _, ok in out),
                            "p50_ms": p50,
                            "p95_ms": p95,
                            "throughput_rps": len(out) / args.seconds,
                            # CPU per request: capacity ≈ free cores / this, whatever else runs
                            "server_cpu_ms_per_request": 1000 * cpu / max(1, len(out)),
                        }
                    )
                    print(json.dumps(results[-1]), flush=True)
                results[-1]["server_peak_rss_mb"] = tree_peak_rss_mb(proc.pid)
    base_of = {r["users"]: r for r in results if r["workers"] == args.workers[0]}
    rows = []
    for r in results:
        b = base_of[r["users"]]
        target = r["workers"] == 1 and r["users"] == 20
        rows.append(
            Row(
                f"load {r['workers']} worker(s), {r['users']} users: p95 ms, errors",
                "p95 <= 1000, 0 errors" if target else "-",
                f"{r['p95_ms']:.0f}, {r['errors']}/{r['requests']}, {r['server_cpu_ms_per_request']:.0f} CPU-ms/req",
                f"{b['p95_ms']:.0f}, {b['errors']}",
                r["p95_ms"] / b["p95_ms"],
                (r["p95_ms"] <= 1000 and r["errors"] == 0) if target else None,
                CMD,
            )
        )
    knee = next((f"{r['workers']}w/{r['users']}u" for r in results if r["p95_ms"] > 1000 or r["errors"]), "none seen")
    write_rows("load", rows, {"results": results, "seconds": args.seconds, "knee": knee})
    print(f"knee (first setting with p95 > 1 s or errors): {knee}")


if __name__ == "__main__":
    main()

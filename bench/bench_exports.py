"""Board pack benchmark, run by hand: `python bench/bench_exports.py [--runs 3]`.

Targets (issue 12): the demo profile with 10 years of weekly check-ins, cold
PDF <= 1.5 s, HTML <= 0.5 s, PPTX <= 1 s, peak memory <= 150 MB.

The profile is `coach demo` plus 520 weekly check-ins (10 years) that pass the
app's validation; the benchmark stops if it cannot build that profile.
Each cold measurement runs in a fresh interpreter, so it pays for the imports,
the playbook and catalogue loading and the first chart: "total" is imports +
reading the profile + rendering, "render" the rendering alone, "cpu" the CPU
seconds of "total" (steadier than wall time on a shared machine), "process" the
child's wall time with interpreter start-up. "warm" is the same export again in
that process, as in the app after the first click. Peak memory is the child's
peak RSS (ru_maxrss). `--lang en` for the English pack.
The files land in bench/out/ (ignored by git) for a look.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
TARGETS = {"pdf": 1.5, "html": 0.5, "pptx": 1.0}
MEMORY_TARGET_MB = 150
YEARS = 10


def peak_rss_mb() -> float:
    # Linux reports kilobytes, macOS bytes.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def child(fmt: str, db: str, lang: str) -> None:
    """One cold export in this fresh process; prints its timings as JSON."""
    start, cpu_start = time.perf_counter(), time.process_time()
    from coach.exports import filename, render
    from coach.service import build_pack
    from coach.store import Store

    imported = time.perf_counter()
    with Store(db) as store:
        pack = build_pack(store, "demo", lang=lang)
    built = time.perf_counter()
    data = render(pack, fmt, paper="Letter")
    rendered, cpu_rendered = time.perf_counter(), time.process_time()
    again = render(pack, fmt, paper="Letter")
    warm = time.perf_counter() - rendered
    assert again == data or fmt in ("pdf", "pptx")  # PDFs embed the same content; ids may differ
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / filename(pack, fmt)).write_bytes(data)
    print(
        json.dumps(
            {
                "format": fmt,
                "lang": lang,
                "import_s": imported - start,
                "build_pack_s": built - imported,
                "render_s": rendered - built,
                "total_s": rendered - start,
                "cpu_s": cpu_rendered - cpu_start,
                "warm_render_s": warm,
                "bytes": len(data),
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    )


def make_demo(db: str) -> str:
    """The demo profile from `coach demo`, plus YEARS years of weekly check-ins before it.

    No stand-in: if the demo or the check-ins cannot be saved, the benchmark stops
    with the reason, rather than timing a profile without the history it is about.
    """
    from coach.demo import build_demo
    from coach.store import Store

    with Store(db) as store:
        build_demo(store, lang="fr")
        added = add_years(store)
        checkins = store.list_checkins("demo")
    weeks = sorted(c.week for c in checkins)
    if len(checkins) < 52 * YEARS or len(weeks) != len(set(weeks)):
        raise SystemExit(f"the profile holds {len(checkins)} check-ins, not {52 * YEARS}")
    return (
        f"coach demo + {added} weekly check-ins added: {len(checkins)} weeks "
        f"from {weeks[0]} to {weeks[-1]}"
    )


def add_years(store) -> int:
    """Weekly check-ins for YEARS years before the demo's own weeks (theirs are kept).

    Every row passes the app's own validation (`validate_checkin`): replies never
    outnumber what was received, some weeks have nothing received and no response
    time, and one week in six carries a note, as a real history would.
    """
    from datetime import timedelta

    from coach.checkin import CheckIn, validate_checkin, week_of
    from coach.clock import today_in

    profile = store.get_profile("demo")
    have = {c.week for c in store.list_checkins("demo")}
    today = today_in(profile.timezone)
    last = today - timedelta(days=7)
    weeks = [week_of(last - timedelta(weeks=i)) for i in range(52 * YEARS)]
    rows = []
    for i, week in enumerate(weeks):
        if week in have:
            continue
        received = 0 if i % 13 == 0 else 3 + i % 7
        replies = min(received, 2 + i % 5)
        hours = None if not replies else 6.0 + (i * 7) % 40
        note = (
            f"Semaine {i} : conférence, deux billets et un échange avec l'équipe des "
            "communications au sujet du prochain rapport annuel."
            if i % 6 == 0
            else ""
        )
        checkin = CheckIn(
            week=week,
            posts=i % 4,
            received=received,
            replies=replies,
            median_response_hours=hours,
            note=note,
        )
        validate_checkin(checkin, today)
        rows.append(checkin)
    store.save_checkins("demo", rows)
    return len(rows)


def run_child(fmt: str, db: str, lang: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, __file__, "--child", fmt, "--db", db, "--lang", lang]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_s"] = time.perf_counter() - start  # interpreter start and exit included
    return result


def run_cli(fmt: str, db: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = OUT / f"cli.{fmt}"
    cmd = [sys.executable, "-m", "coach", "export", "--db", db, "--profile", "demo"]
    start = time.perf_counter()
    subprocess.run(
        [*cmd, "--format", fmt, "-o", str(out)], env=env, cwd=ROOT, check=True, capture_output=True
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold runs per format")
    parser.add_argument(
        "--formats", default="pdf,html,pptx,md,csv,ics", help="comma-separated, e.g. pdf,html"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--lang", default="fr", choices=("fr", "en"), help="language of the pack")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.db, args.lang)
        return 0

    sys.path.insert(0, str(ROOT))
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        source = make_demo(db)
        print(f"profile: demo ({source}); {os.cpu_count()} CPUs; load {os.getloadavg()[0]:.2f}")
        print(
            f"{'format':6} {'import':>7} {'build':>7} {'render':>7} {'total':>7} "
            f"{'cpu':>6} {'warm':>7} {'process':>8} {'peak MB':>8} {'size KB':>8}  target"
        )
        ok = True
        for fmt in args.formats.split(","):
            runs = [run_child(fmt, db, args.lang) for _ in range(args.runs)]
            med = {
                k: statistics.median(r[k] for r in runs)
                for k in runs[0]
                if k.endswith(("_s", "_mb"))
            }
            target = TARGETS.get(fmt)
            verdict = ""
            if target:
                passed = med["total_s"] <= target and med["peak_rss_mb"] <= MEMORY_TARGET_MB
                ok &= passed
                verdict = f"<= {target} s, <= {MEMORY_TARGET_MB} MB: {'ok' if passed else 'MISSED'}"
            print(
                f"{fmt:6} {med['import_s']:7.2f} {med['build_pack_s']:7.2f} {med['render_s']:7.2f} "
                f"{med['total_s']:7.2f} {med['cpu_s']:6.2f} {med['warm_render_s']:7.2f} "
                f"{med['process_s']:8.2f} "
                f"{med['peak_rss_mb']:8.0f} "
                f"{runs[0]['bytes'] / 1024:8.0f}  {verdict}"
            )
        cli = {
            fmt: statistics.median(run_cli(fmt, db) for _ in range(args.runs))
            for fmt in TARGETS
            if fmt in args.formats.split(",")
        }
        print(
            "whole command `python -m coach export` (interpreter start included): "
            + ", ".join(f"{fmt} {s:.2f} s" for fmt, s in cli.items())
        )
        print(f"files in {OUT.relative_to(ROOT)}/ (median of {args.runs} cold runs per format)")
        load, cpus = os.getloadavg()[0], os.cpu_count() or 1
        if load > cpus:
            print(
                f"the machine was busy (load {load:.1f} on {cpus} CPUs): wall times are inflated, "
                "the cpu column is the steadier figure"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

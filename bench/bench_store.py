"""Store and tracking figures, run by hand: `python bench/bench_store.py`.

Targets (issue 3): status for a profile with 10 years of weekly check-ins under
50 ms; saving a check-in under 10 ms; opening a database of 100 profiles with
10 years each under 200 ms. Prints the median and the 95th percentile of
repeated runs; the databases are built under bench/out/ (git-ignored).
"""

from __future__ import annotations

import functools
import random
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coach import clock, service  # noqa: E402
from coach.checkin import CheckIn, week_of  # noqa: E402
from coach.demo import demo_document  # noqa: E402
from coach.store import Store  # noqa: E402
from coach.tracking import profile_status  # noqa: E402

OUT = ROOT / "bench" / "out"
YEARS = 10
PROFILES = 100


def ten_years(rng: random.Random, end: date) -> list[CheckIn]:
    first = end - timedelta(weeks=52 * YEARS)
    out = []
    for i in range(52 * YEARS):
        received = rng.randint(0, 20)
        out.append(
            CheckIn(
                week=week_of(first + timedelta(weeks=i)),
                posts=rng.randint(0, 4),
                received=received,
                replies=rng.randint(0, received),
                median_response_hours=round(rng.uniform(1, 60), 1),
                followers=300 + i * 3,
                mentions=rng.randint(0, 5),
                monitoring_sessions=rng.randint(0, 4),
                employee_touchpoints=rng.randint(0, 4),
                note=rng.choice(["", "", "Bonne semaine."]),
            )
        )
    return out


@functools.cache
def _demo(today: date, lang: str) -> dict:
    return demo_document(today=today, lang=lang)


def profile_doc(name: str, rng: random.Random, today: date) -> dict:
    """A demo-like profile (default playbook, plan, states) with 10 years of check-ins."""
    doc = dict(_demo(today, rng.choice(["fr", "en"])))
    doc["profile"] = {**doc["profile"], "name": name}
    doc["checkins"] = [
        {k: getattr(c, k) for k in c.__dataclass_fields__} for c in ten_years(rng, today)
    ]
    return doc


def timed(fn, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def report(label: str, figures: tuple[float, float], target: float) -> None:
    median, p95 = figures
    verdict = "ok" if median < target else "SLOW"
    print(
        f"{label:<58} median {median:7.2f} ms   p95 {p95:7.2f} ms   target < {target:.0f} ms  {verdict}"
    )


def build_big(path: Path, today: date) -> None:
    rng = random.Random(7)
    with Store(path) as store:
        for n in range(PROFILES):
            store.import_profile(profile_doc(f"manager-{n:03d}", rng, today))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    today = clock.today_in("America/Toronto")
    rng = random.Random(1)

    one = OUT / "one-profile.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{one}{suffix}").unlink(missing_ok=True)
    with Store(one) as store:
        store.import_profile(profile_doc("ana", rng, today))
        weeks = len(store.list_checkins("ana"))
        report(
            f"status, 1 profile, {weeks} weekly check-ins",
            timed(lambda: profile_status(store, "ana", today=today), 50),
            50,
        )
        report(
            "status through the service (snapshot + report, what the CLI runs)",
            timed(lambda: service.status_report(service.snapshot(store, "ana", "en", today)), 50),
            50,
        )
        first = store.list_checkins("ana")[0]
        counter = iter(range(10**6))
        report(
            "save a check-in (update an existing week, durable commit)",
            timed(lambda: store.save_checkin("ana", replace(first, posts=next(counter) % 9)), 100),
            10,
        )
        fresh = iter(date(1990, 1, 1) + timedelta(weeks=i) for i in range(10**4))
        report(
            "save a check-in (new week, durable commit)",
            timed(lambda: store.save_checkin("ana", CheckIn(week_of(next(fresh)), posts=2)), 100),
            10,
        )

    big = OUT / f"{PROFILES}-profiles.db"
    if not big.exists():
        print(f"building {big.name} ({PROFILES} profiles x {YEARS} years)...", flush=True)
        start = time.perf_counter()
        build_big(big, today)
        print(f"  built in {time.perf_counter() - start:.1f} s, {big.stat().st_size / 1e6:.1f} MB")

    def open_big() -> None:
        store = Store(big)
        store.list_profiles()
        store.close()

    report(
        f"open a database of {PROFILES} profiles x {YEARS} years + list profiles",
        timed(open_big, 30),
        200,
    )
    with Store(big) as store:
        report(
            f"status of one of {PROFILES} profiles in that database",
            timed(lambda: profile_status(store, "manager-042", today=today), 30),
            50,
        )

    code = (
        "import time; t=time.perf_counter(); from coach.store import Store; "
        f"s=Store({str(big)!r}); s.list_profiles(); s.close(); "
        "print((time.perf_counter()-t)*1000)"
    )
    cold = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(5)
    ]
    print(
        f"{'(for information) new process: import the store + open + list':<58} "
        f"median {statistics.median(cold):7.2f} ms"
    )


if __name__ == "__main__":
    main()

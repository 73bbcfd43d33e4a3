"""Benchmark: importing a large LinkedIn messages.csv (goal: 100,000 rows in < 5 s, < 300 MB).

    python bench/bench_import.py [--rows 100000]

Writes a synthetic export under bench/out/ (newest first, quoted cells with
commas, quotes and line breaks, extra columns), then measures in fresh
processes, so that each peak memory figure belongs to one import only:
- parse + weekly figures + preview, plain CSV and the same file zipped:
  wall time, then peak Python allocations (tracemalloc, a second run since
  tracing slows the code) and the process's peak resident size (ru_maxrss);
- the whole CLI (`python -m coach import ... --dry-run`) against a temporary database.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
HEADER = [
    "CONVERSATION ID",
    "CONVERSATION TITLE",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "RECIPIENT PROFILE URLS",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
    "ATTACHMENTS",
    "IS MESSAGE DRAFT",
]
ME = "Marie Tremblay"
BODIES = [
    "Bonjour Marie, auriez-vous 20 minutes cette semaine?",
    'Merci pour la présentation, "très" utile, surtout la partie sur le budget.',
    "Trois points :\n1. le calendrier;\n2. le budget;\n3. l'équipe.",
    "Oui, jeudi 10 h me convient. À bientôt!",
    "Voici le lien, comme promis : https://example.org/rapport?annee=2026&page=3",
]


def write_export(path: Path, rows: int, seed: int = 7) -> None:
    """A messages.csv of `rows` messages over two years, newest first, about 2,000 conversations."""
    rng = random.Random(seed)
    conversations = max(rows // 50, 1)
    people = [f"Personne {i:04d}" for i in range(conversations)]
    start = datetime(2024, 12, 2, tzinfo=UTC)
    span = (datetime(2026, 11, 1, tzinfo=UTC) - start).total_seconds()
    messages = []
    for _ in range(rows):
        conv = rng.randrange(conversations)
        at = start + timedelta(seconds=rng.random() * span)
        mine = rng.random() < 0.45
        messages.append((at, conv, mine))
    messages.sort(reverse=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for at, conv, mine in messages:
            other = people[conv]
            sender, recipient = (ME, other) if mine else (other, ME)
            writer.writerow(
                [
                    f"2-{conv:08d}-Y29udmVyc2F0aW9u",
                    "",
                    sender,
                    f"https://www.linkedin.com/in/{sender.lower().replace(' ', '-')}",
                    recipient,
                    f"https://www.linkedin.com/in/{recipient.lower().replace(' ', '-')}",
                    at.strftime("%Y-%m-%d %H:%M:%S UTC"),
                    "",
                    rng.choice(BODIES),
                    "INBOX",
                    "",
                    "false",
                ]
            )


def run_import(path: Path, trace: bool) -> dict:
    """One import in this process: parse, weekly figures, preview against no saved check-ins."""
    sys.path.insert(0, str(ROOT))
    from coach.importers import detect_and_parse, plan_import, weekly_figures

    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    result = detect_and_parse(path)
    parsed = time.perf_counter()
    figures = weekly_figures(result.events, "America/Toronto")
    counted = time.perf_counter()
    preview = plan_import(
        [], figures, source=result.source, fields=result.fields, today=date(2026, 11, 28)
    )
    done = time.perf_counter()
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    return {
        "events": len(result.events),
        "weeks": len(preview.weeks),
        "me": result.me,
        "parse_s": round(parsed - started, 3),
        "figures_s": round(counted - parsed, 3),
        "preview_s": round(done - counted, 3),
        "total_s": round(done - started, 3),
        "tracemalloc_peak_mb": round(peak / 2**20, 1) if peak is not None else None,
        "maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def child(path: Path, trace: bool) -> dict:
    args = [sys.executable, __file__, "--child", str(path)] + (["--trace"] if trace else [])
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def baseline_rss() -> float:
    code = "import resource, sys; sys.path.insert(0, %r); import coach.importers; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    done = subprocess.run(
        [sys.executable, "-c", code % str(ROOT)], capture_output=True, text=True, check=True
    )
    return round(int(done.stdout) / 1024, 1)


def cli_run(path: Path) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        sys.path.insert(0, str(ROOT))
        from coach.store import Store

        with Store(db) as store:
            store.create_profile("Marie", timezone="America/Toronto")
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "coach",
                "import",
                str(path),
                "--profile",
                "Marie",
                "--db",
                str(db),
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        return round(time.perf_counter() - started, 2)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_import(Path(args.child), args.trace)))
        return

    OUT.mkdir(parents=True, exist_ok=True)
    csv_path = OUT / "messages.csv"
    write_export(csv_path, args.rows)
    zip_path = OUT / "Complete_LinkedInDataExport.zip"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(csv_path, "messages.csv")
    print(
        f"rows: {args.rows:,}  messages.csv: {csv_path.stat().st_size / 2**20:.1f} MB  zipped: {zip_path.stat().st_size / 2**20:.1f} MB"
    )
    print(
        f"python {sys.version.split()[0]}; interpreter + coach.importers alone: {baseline_rss()} MB resident"
    )
    for label, path in (("csv", csv_path), ("zip", zip_path)):
        timed = child(path, trace=False)
        traced = child(path, trace=True)
        print(
            f"{label}: {timed['events']:,} events, {timed['weeks']} weeks, manager {timed['me']!r}; "
            f"parse {timed['parse_s']} s + figures {timed['figures_s']} s + preview {timed['preview_s']} s "
            f"= {timed['total_s']} s; peak allocations {traced['tracemalloc_peak_mb']} MB; "
            f"peak resident {timed['maxrss_mb']} MB"
        )
    print(
        f"cli: python -m coach import (zip, writes every week): {cli_run(zip_path)} s wall, process start included"
    )


if __name__ == "__main__":
    main()

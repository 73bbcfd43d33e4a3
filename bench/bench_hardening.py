"""Hostile files, run by hand: `python -m bench.bench_hardening [--tweets-mb 50] [--zip-entries N]`.

Targets (issue 11):
- the issue's 120 KB file of 60,000 brackets refused in under 1 s by `validate`,
  `assess --answers` and `plan --answers` (a fresh process each, Python start included);
- the same depth as JSON refused in under 1 s (tweets.js, a profile export);
- a ZIP of 2 million entries refused before zipfile lists them (it took 19 s and 1.1 GB).
Also reported: what the depth checks cost on files that pass (the default playbook,
a large X archive). Files are written under bench/out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from coach import safejson, yamlsafe  # noqa: E402
from coach.errors import InvalidInput  # noqa: E402
from coach.importers import detect_and_parse  # noqa: E402

OUT = ROOT / "bench" / "out"
DEEP = 60_000
TARGET_S = 1.0


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_ms(action, runs: int = 20) -> float:
    return 1000 * statistics.median(timed(action) for _ in range(runs))


def refusals() -> bool:
    deep_yaml = OUT / "deep.yaml"
    deep_yaml.write_text("a: " + "[" * DEEP + "]" * DEEP + "\n", encoding="utf-8")
    print(f"deep.yaml: {deep_yaml.stat().st_size / 1000:.0f} KB")
    worst = 0.0
    for command in (["validate"], ["assess", "--answers"], ["plan", "--answers"]):
        argv = [sys.executable, "-m", "coach", *command, str(deep_yaml), "--lang", "en"]
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        worst = max(worst, seconds)
        said = (done.stderr or done.stdout).strip().splitlines()[0]
        print(f"  {' '.join(command):<17} exit {done.returncode}  {seconds:.2f} s  {said[:70]}")
    print(f"  in process, yamlsafe.parse: {median_ms(lambda: _refused_yaml(deep_yaml)):.2f} ms")

    deep_json = '{"a": ' + "[" * DEEP + "]" * DEEP + "}"
    tweets = ('window.YTD.tweets.part0 = [{"tweet": ' + "[" * DEEP + "]" * DEEP + "}]").encode()
    json_ms = median_ms(lambda: _refused_json(deep_json))
    tweets_ms = median_ms(lambda: _refused_import(tweets), runs=5)
    print(f"  in process, safejson.loads: {json_ms:.2f} ms; tweets.js import: {tweets_ms:.2f} ms")
    worst = max(worst, json_ms / 1000, tweets_ms / 1000)
    print(f"target: refused in < {TARGET_S:.0f} s; worst {worst:.2f} s")
    return worst < TARGET_S


def _refused_yaml(path: Path) -> None:
    try:
        yamlsafe.load_file(path)
    except yamlsafe.YamlProblem as problem:
        assert problem.key == "yaml.too_deep"
        return
    raise AssertionError("not refused")


def _refused_json(text: str) -> None:
    try:
        safejson.loads(text, file="deep.json")
    except safejson.JsonProblem:
        return
    raise AssertionError("not refused")


def _refused_import(data: bytes) -> None:
    try:
        detect_and_parse(data, "tweets.js")
    except InvalidInput as err:
        assert err.key == "importers.json.too_deep"
        return
    raise AssertionError("not refused")


def costs_on_good_files(tweets_mb: int) -> None:
    playbook = (ROOT / "playbooks" / "executive-presence.yaml").read_text(encoding="utf-8")
    loader = yamlsafe.SAFE_LOADER
    compose = median_ms(lambda: yaml.compose(playbook, Loader=loader))
    scan = median_ms(lambda: yamlsafe.check_depth(playbook))
    whole = median_ms(lambda: yamlsafe.parse(playbook))
    print(
        f"default playbook ({len(playbook) / 1000:.0f} KB): compose {compose:.1f} ms, "
        f"depth scan {scan:.1f} ms, whole yamlsafe.parse {whole:.1f} ms"
    )
    tweet = {
        "tweet": {
            "id_str": "1626632345",
            "created_at": "Sat Feb 18 12:33:11 +0000 2023",
            "entities": {"hashtags": [{"text": "lead", "indices": ["10", "15"]}], "urls": []},
            "display_text_range": ["0", "140"],
            "full_text": 'A post with {braces}, [brackets] and "quotes" 😀 ' * 3,
        }
    }
    one = len(json.dumps(tweet, indent=2, ensure_ascii=False))
    items = [tweet] * max(1, tweets_mb * 1_000_000 // one)
    text = "window.YTD.tweets.part0 = " + json.dumps(items, indent=2, ensure_ascii=False)
    body = text[text.index("[") :]
    depth = timed(lambda: safejson.check_depth(text, file="tweets.js"))
    plain = timed(lambda: json.loads(body))
    bounded = timed(lambda: safejson.decoder("tweets.js").decode(body))
    print(
        f"tweets.js of {len(text) / 1e6:.0f} MB ({len(items):,} tweets): depth check {depth:.2f} s, "
        f"json.loads {plain:.2f} s, bounded decoder {bounded:.2f} s"
    )


def many_entries_zip(path: Path, entries: int) -> None:
    """A ZIP of `entries` one-byte files, written directly (zipfile would take minutes)."""
    crc = zlib.crc32(b"x")
    offsets = []
    with path.open("wb") as out:
        position = 0
        for index in range(entries):
            name = f"{index:07d}.txt".encode()
            offsets.append(position)
            header = struct.pack(
                "<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, 1, 1, len(name), 0
            )
            out.write(header + name + b"x")
            position += len(header) + len(name) + 1
        start = position
        for index, offset in enumerate(offsets):
            name = f"{index:07d}.txt".encode()
            entry = struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                0,
                0,
                0,
                crc,
                1,
                1,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset if offset < 0xFFFFFFFF else 0xFFFFFFFF,
            )
            out.write(entry + name)
            position += len(entry) + len(name)
        size = position - start
        count = min(entries, 0xFFFF)
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, size, start, 0))


def zip_refusal(entries: int) -> bool:
    path = OUT / f"entries-{entries}.zip"
    if not path.exists():
        many_entries_zip(path, entries)
    script = (
        "import sys, time\n"
        "from coach.errors import InvalidInput\n"
        "from coach.importers import detect_and_parse\n"
        "start = time.perf_counter()\n"
        "try:\n"
        "    detect_and_parse(sys.argv[1])\n"
        "    said = 'read'\n"
        "except InvalidInput as err:\n"
        "    said = err.key\n"
        "seconds = time.perf_counter() - start\n"
        "status = open('/proc/self/status').read().split('VmHWM:')[1].split()[0]\n"
        "peak = int(status) / 1024\n"
        "print(f'{said} {seconds:.3f} {peak:.0f}')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], cwd=ROOT, capture_output=True, text=True
    )
    said, seconds, peak = done.stdout.split()
    print(
        f"ZIP of {entries:,} entries ({path.stat().st_size / 1e6:.0f} MB): {said} "
        f"in {float(seconds):.2f} s, peak resident size of the whole process {peak} MB"
    )
    return said == "importers.error.zip_too_many" and float(seconds) < TARGET_S


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tweets-mb", type=int, default=50, help="size of the good X archive")
    parser.add_argument("--zip-entries", type=int, default=2_000_000)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    ok = zip_refusal(args.zip_entries)
    ok &= refusals()
    costs_on_good_files(args.tweets_mb)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this benchmark's own peak resident size: {own:.0f} MB)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

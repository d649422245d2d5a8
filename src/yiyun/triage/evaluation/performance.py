"""Per-turn latency and the engine's resident memory after loading (measured in a fresh interpreter)."""

import csv
import itertools
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from yiyun.triage.engine import TriageEngine
from yiyun.triage.evaluation.department_suite import DEV_FILE
from yiyun.triage.kb_files import read_json, read_rows

_RSS_SCRIPT = (
    "from yiyun.triage import get_engine; e = get_engine(); e.result(e.start('孩子发烧三天，咳嗽有痰'))\n"
    "print([int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS')][0])"
)


def latency(engine: TriageEngine, shared: Path | None = None) -> dict:
    """Time each turn (start + result, or answer + result) over the dev complaints, the red-flag suite and the
    first 500 Toyhom questions (long real texts).

    The engine's cache of read messages is cleared before every turn, as if each request reached a fresh worker."""
    texts = [row[2] for row in read_rows(DEV_FILE)]
    suite = read_json("red_flag_suite.json")
    texts += [c["text"] for c in suite["positives"] + suite["negatives"]]
    if shared is not None:
        path = shared / "data" / "triage" / "toyhom_internal_medicine_sample" / "sample_IM_5000-6000_utf8.csv"
        with path.open(encoding="utf-8") as handle:
            texts += [f"{r['title']}。{r['ask']}" for r in itertools.islice(csv.DictReader(handle), 500)]
    timings = []
    for text in texts:
        engine.clear_cache()
        began = time.perf_counter()
        state = engine.start(text)
        engine.result(state)
        timings.append((time.perf_counter() - began) * 1000)
        while state["status"] == "asking":
            engine.clear_cache()
            began = time.perf_counter()
            state = engine.answer(state, state["pending_question"], "no")
            engine.result(state)
            timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    return {
        "turns": len(timings),
        "p50_ms": statistics.median(timings),
        "p99_ms": timings[min(len(timings) - 1, int(len(timings) * 0.99))],
    }


def resident_memory_mb() -> float:
    output = subprocess.run([sys.executable, "-c", _RSS_SCRIPT], capture_output=True, text=True, check=True).stdout  # noqa: S603
    return json.loads(output.strip().splitlines()[-1]) / 1024

"""The triage section of docs/benchmarks.md, written between markers so other sections are left alone."""

import datetime
import os
import platform
import re
from pathlib import Path

BEGIN, END = "<!-- triage-eval:begin -->", "<!-- triage-eval:end -->"
BENCHMARKS = Path(__file__).resolve().parents[4] / "docs" / "benchmarks.md"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def write_section(lines: list[str], path: Path = BENCHMARKS) -> Path:
    header = [
        BEGIN,
        "## Triage (智能导诊)",
        "",
        "Command: `python -m yiyun.triage.evaluation` (shared data from `YIYUN_SHARED_DIR`, default `../shared`).",
        f"Machine: {platform.machine()}, {cpu_model()}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}; run {datetime.date.today().isoformat()}.",
        "",
    ]
    section = "\n".join(header + lines + ["", END])
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\nEach figure with its command, machine and date.\n"
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path

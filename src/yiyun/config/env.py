"""Reading settings from environment variables, with the embedded defaults spelled out once."""

import os
from pathlib import Path


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def project_root() -> Path:
    """The checkout (or install) root: two levels above the `yiyun` package under `src/`."""
    return Path(__file__).resolve().parents[3]


def env_dict(name: str) -> dict[str, str]:
    """`"duplicate=1,delay_seconds=5"` → {"duplicate": "1", "delay_seconds": "5"}; unset → {}."""
    pairs = {}
    for item in env_list(name, []):
        key, _, value = item.partition("=")
        pairs[key.strip()] = value.strip()
    return pairs

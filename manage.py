#!/usr/bin/env python
"""Django's manage.py; `yiyun` (installed console command) does the same with hyphenated names."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from yiyun.cli import main  # noqa: E402

if __name__ == "__main__":
    main()

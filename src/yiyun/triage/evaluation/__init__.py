"""Evaluation suites for triage: red flags, ask-then-diagnose (Dxy / MZ-4 / MZ-10), departments, speed and memory.

    python -m yiyun.triage.evaluation        # prints a table and one final JSON line; updates docs/benchmarks.md
"""

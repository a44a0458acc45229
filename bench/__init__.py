"""Bilim's benchmarks: `python -m bench` (or `make bench`) runs them all on this machine.

They print numbers and ratios measured in one run; they never fail on a missed target.
Everything they start (a temporary database, a Git repository, gunicorn) is removed at the end.
"""

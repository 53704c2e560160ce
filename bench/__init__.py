"""Vigil benchmarks: ``python -m bench`` runs every group, ``python -m bench vault`` one.

A group is a module in this package with a ``run() -> Report`` function and a
``TITLE``; ``bench.__main__`` discovers them, so adding a group means adding a
module. Figures go to stdout as Markdown tables (for docs/performance.md) and
to ``bench/results/<group>.json``; progress goes to stderr.
"""

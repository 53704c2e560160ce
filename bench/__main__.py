"""Entry point: ``python -m bench [group ...]`` (no group: all of them).

Groups are discovered: every module of this package that defines ``run()``
(``common`` and private modules excluded). ``--list`` prints them.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from collections.abc import Callable
from types import ModuleType

from bench import common

NOT_GROUPS = {"common", "__main__"}


def discover() -> dict[str, ModuleType]:
    package = sys.modules["bench"]
    groups: dict[str, ModuleType] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name in NOT_GROUPS or info.name.startswith("_") or info.ispkg:
            continue
        module = importlib.import_module(f"bench.{info.name}")
        if callable(getattr(module, "run", None)):
            groups[info.name] = module
    return groups


def run_group(name: str, module: ModuleType) -> common.Report:
    run: Callable[[], common.Report] = module.run
    common.progress(f"group {name}: {getattr(module, 'TITLE', name)}")
    start = time.perf_counter()
    report = run()
    report.seconds = time.perf_counter() - start
    path = report.write_json()
    common.progress(f"group {name} done in {report.seconds:.1f} s; wrote {path}")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("groups", nargs="*", help="groups to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the groups and exit")
    args = parser.parse_args(argv)

    common.setup_django()
    groups = discover()
    if args.list:
        for name, module in groups.items():
            print(f"{name}\t{getattr(module, 'TITLE', '')}")
        return 0
    unknown = [name for name in args.groups if name not in groups]
    if unknown:
        parser.error(f"unknown group(s) {', '.join(unknown)}; known: {', '.join(groups)}")
    selected = args.groups or list(groups)

    m = common.machine()
    print(f"<!-- python -m bench {' '.join(selected)}: {m['generated_at']}, Python {m['python']}, ")
    print(f"     {m['cpus']} CPUs ({m['cpu_model']}), VIGIL_TESTING={m['vigil_testing']!r} -->\n")
    for name in selected:
        report = run_group(name, groups[name])
        print(report.markdown(), flush=True)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

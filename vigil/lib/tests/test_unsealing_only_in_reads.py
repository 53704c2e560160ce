"""Views never unseal: opening sealed data happens in an app's reads.py.

A scan of the source of every view module (``views*.py``, a ``views/``
package, the incident ``wizard.py``, intake's ``staff.py`` and ``public.py``):
none calls ``sealing.open_*``, ``crypto.unseal`` or ``crypto.decrypt*``, nor
imports those functions by name. The mistake it catches: a view opening a
sealed field itself, so that what a page decrypts can no longer be reviewed in
one place per app (DESIGN.md 8.1) and the policy-scoped read is bypassed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

VIGIL = Path(__file__).resolve().parents[2]
VIEW_MODULE = re.compile(r"(^|/)(views\w*|wizard|staff|public)\.py$|(^|/)views/\w+\.py$")
EXCLUDED = re.compile(r"(^|/)(tests|migrations)/|^vault/")
VAULT_MODULES = {"vigil.vault.sealing": "sealing", "vigil.vault.crypto": "crypto"}
# Views that still unseal, each with the reason it is not done yet (none today): a
# module leaves the list when its unsealing moves to its app's reads.py.
ALLOWED: dict[str, str] = {}


def _unseals(module: str, name: str) -> bool:
    if module == "sealing":
        return name.startswith("open_")
    return module == "crypto" and (name == "unseal" or name.startswith("decrypt"))


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _module_aliases(tree: ast.AST) -> dict[str, str]:
    """Local name -> "sealing"/"crypto", so that an alias does not hide a call."""
    aliases = {"sealing": "sealing", "crypto": "crypto", **VAULT_MODULES}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "vigil.vault":
            for alias in node.names:
                if alias.name in VAULT_MODULES.values():
                    aliases[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in VAULT_MODULES and alias.asname:
                    aliases[alias.asname] = VAULT_MODULES[alias.name]
    return aliases


def _imports_by_name(node: ast.AST) -> bool:
    # "from vigil.vault.sealing import open_json" would make the call a bare name.
    return (
        isinstance(node, ast.ImportFrom)
        and node.module in VAULT_MODULES
        and any(_unseals(VAULT_MODULES[node.module], a.name) for a in node.names)
    )


def unsealing_calls(source: str) -> list[int]:
    """Line numbers where Python source unseals or imports an unsealing function."""
    tree = ast.parse(source)
    aliases = _module_aliases(tree)
    found: list[int] = []
    for node in ast.walk(tree):
        if _imports_by_name(node):
            found.append(getattr(node, "lineno", 0))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            module = aliases.get(_dotted(node.func.value), "")
            if _unseals(module, node.func.attr):
                found.append(node.lineno)
    return sorted(found)


def _view_modules() -> list[tuple[str, Path]]:
    modules = []
    for path in sorted(VIGIL.rglob("*.py")):
        relative = path.relative_to(VIGIL).as_posix()
        if VIEW_MODULE.search(relative) and not EXCLUDED.search(relative):
            modules.append((relative, path))
    return modules


def test_no_view_module_unseals() -> None:
    offenders = []
    for relative, path in _view_modules():
        if relative not in ALLOWED:
            offenders += [f"{relative}:{n}" for n in unsealing_calls(path.read_text())]
    assert offenders == [], "unseal in the app's reads.py, not in views: " + ", ".join(offenders)


def test_the_allow_list_names_only_views_that_still_unseal() -> None:
    # Once a module is moved, its entry must go, or a new unsealing call there
    # would pass unnoticed.
    scanned = dict(_view_modules())
    stale = [name for name in ALLOWED if not unsealing_calls(scanned[name].read_text())]
    assert stale == [], "remove from ALLOWED, they no longer unseal: " + ", ".join(stale)


def test_the_scan_finds_each_kind_of_unsealing() -> None:
    planted = {
        "values = sealing.open_json(key, event.sealed, {})\n": [1],
        "body = sealing.open_text(key, m.sealed)\n": [1],
        "chunks = lambda: sealing.open_file(key, name)\n": [1],
        "inner = crypto.unseal(private, box)\n": [1],
        "data = crypto.decrypt(key, box)\nmore = crypto.decrypt_json(key, box)\n": [1, 2],
        "from vigil.vault import sealing as s\nx = s.open_json(k, b, {})\n": [2],
        "import vigil.vault.crypto as c\nx = c.decrypt(k, b)\n": [2],
        "x = vigil.vault.sealing.open_text(k, b)\n": [1],
        "from vigil.vault.sealing import open_json\nx = open_json(k, b, {})\n": [1],
    }
    for source, lines in planted.items():
        assert unsealing_calls(source) == lines, source
    allowed = (
        "values = reads.event_values(key, event)\n"
        "sealed = sealing.seal_json(key, values)\n"
        "found = crypto.blind_index(index_key, 'name', query)\n"
        "key = policy.data_key(request, event)\n"
        "handle = open(path)\n"
    )
    assert unsealing_calls(allowed) == []
    assert VIEW_MODULE.search("engagement/views/visits.py")
    assert VIEW_MODULE.search("incidents/views_evidence.py")
    assert not VIEW_MODULE.search("incidents/reads.py")

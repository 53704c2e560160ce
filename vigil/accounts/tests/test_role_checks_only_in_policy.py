"""Role decisions live only in vigil/policy.py.

A scan of the source: outside the policy module (and model definitions, demo
data and tests), no code compares a member's role, names a Role member,
filters a query by role other than through ``policy.roles_with``, and no
template tests ``.role``. The mistake it catches: an action or view checking
``membership.role == Role.COORDINATOR`` itself, so the role matrix in
policy.py no longer tells the whole truth.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

VIGIL = Path(__file__).resolve().parents[2]
ALLOWED = re.compile(
    r"(^policy\.py$|(^|/)models\.py$|/migrations/|(^|/)tests/|^conftest\.py$|^tests_matrix\.py$"
    r"|(^|/)demo\.py$|/management/commands/demo_\w+\.py$)"
)
ROLE_NAMES = {"Role"}
QUERY_METHODS = {"filter", "exclude", "get", "filter_by"}
ROLE_KEYWORD = re.compile(r"(^|__)role(__in)?$")
TEMPLATE_CHECK = re.compile(r"\{%[^%]*\.role\b[^%]*%\}|\{%[^%]*\brole\s*(==|!=|in\b)[^%]*%\}")


def _is_role(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "role") or (
        isinstance(node, ast.Name) and node.id == "role"
    )


def _is_roles_with(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Attribute) and node.func.attr == "roles_with")
        or (isinstance(node.func, ast.Name) and node.func.id == "roles_with")
    )


def _compares_role(node: ast.AST) -> bool:
    return isinstance(node, ast.Compare) and any(
        _is_role(side) for side in [node.left, *node.comparators]
    )


def _names_role_member(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in ROLE_NAMES
        and node.attr.isupper()
    )


def _aliases_role(node: ast.AST) -> bool:
    # An alias (R = Role) would hide the checks made through it.
    return isinstance(node, ast.Assign) and (
        isinstance(node.value, ast.Name) and node.value.id in ROLE_NAMES
    )


def _role_filters(node: ast.AST) -> list[int]:
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in QUERY_METHODS
    ):
        return []
    return [
        keyword.value.lineno
        for keyword in node.keywords
        if keyword.arg and ROLE_KEYWORD.search(keyword.arg) and not _is_roles_with(keyword.value)
    ]


def role_checks(source: str) -> list[int]:
    """Line numbers of role decisions in Python source."""
    found: list[int] = []
    for node in ast.walk(ast.parse(source)):
        if _compares_role(node) or _names_role_member(node) or _aliases_role(node):
            found.append(getattr(node, "lineno", 0))
        found += _role_filters(node)
    return found


def test_no_role_check_outside_the_policy_module() -> None:
    offenders = []
    for path in sorted(VIGIL.rglob("*.py")):
        relative = path.relative_to(VIGIL).as_posix()
        if ALLOWED.search(relative):
            continue
        offenders += [f"{relative}:{line}" for line in role_checks(path.read_text())]
    templates = [*VIGIL.rglob("templates/**/*.html"), *VIGIL.rglob("jinja2/**/*.html")]
    for path in sorted(templates):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if TEMPLATE_CHECK.search(line):
                offenders.append(f"{path.relative_to(VIGIL).as_posix()}:{number}")
    assert offenders == [], "role decisions belong in vigil/policy.py: " + ", ".join(offenders)


def test_the_scan_finds_each_kind_of_role_check() -> None:
    planted = {
        "if membership.role != Role.COORDINATOR:\n    pass\n": [1, 1],
        "ok = acting.role in LAWYERS\n": [1],
        "R = Role\n": [1],
        "Membership.objects.filter(role__in={'lawyer'})\n": [1],
        "User.objects.filter(memberships__role='coordinator')\n": [1],
    }
    for source, lines in planted.items():
        assert role_checks(source) == lines, source
    allowed = (
        "Membership.objects.filter(role__in=policy.roles_with(Perm.LEGAL_FILE))\n"
        "role = forms.ChoiceField(choices=Role.choices)\n"
        "Membership.objects.create(user=user, role=role)\n"
        "holds = policy.role_holds_keys(membership.role)\n"
    )
    assert role_checks(allowed) == []
    assert TEMPLATE_CHECK.search('{% if membership.role == "coordinator" %}')
    assert not TEMPLATE_CHECK.search("{{ membership.get_role_display }}")

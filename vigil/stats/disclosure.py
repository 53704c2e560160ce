"""Disclosure control: the one place that decides which numbers may be shown.

Every table that leaves the aggregation module (dashboard, CSV/XLSX export,
API, advocacy report) passes through ``protect_1d`` or ``protect_2d``, so the
rules below hold identically everywhere.

Rules
-----
* Primary suppression: a count ``n`` with ``0 < n < threshold`` is not shown
  (threshold: ``settings.STATS_MIN_CELL``, default 5). Totals are counts too.
* Zero is shown. A true zero says "nobody", which reveals nothing about a
  person, and hiding zeros would make every table mostly blank. The
  consequence is public: a hidden value is never 0, so the attacker model
  below gives every hidden value the lower bound 1.
* Complementary suppression: published totals must not let anyone work out a
  hidden value. First, every line (row or column, total included) with exactly
  one hidden entry gets a second one (the smallest non-zero entry in that
  line), until stable. Then an audit proves, for every hidden entry, that it
  can still move by one while every equation and bound holds; when it cannot,
  another entry is hidden and the audit repeats. Hiding more never uncovers
  anything, so this ends; in the worst case every non-zero entry is hidden.
* Attacker model of the audit: the attacker knows every published entry,
  that rows and columns add up to their totals, that hidden values are whole
  numbers of at least 1, and this algorithm. An entry is *disclosed* when a
  single value is consistent with all of that. Because the equations of a
  2-D table with margins form a network matrix (totally unimodular), a hidden
  entry has more than one feasible value exactly when a unit change can travel
  around a cycle through it in the residual graph; the audit searches for
  that cycle.
* Ordering: tables are listed in their natural order (time, code), never by
  value, so a hidden entry's position does not reveal its size.

Known limits (documented in the method notes): linked tables (two tables
sharing a total) and differencing between two filtered queries are not
audited against each other; the threshold applies to each table alone.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

LOWER_BOUND = 1  # hidden values are never 0: zeros are always published


def min_cell() -> int:
    return int(getattr(settings, "STATS_MIN_CELL", 5))


def is_small(value: int, threshold: int) -> bool:
    return 0 < value < threshold


def safe_value(value: int, threshold: int | None = None) -> int | None:
    """A standalone figure (no table around it): None when it must be hidden."""
    t = min_cell() if threshold is None else threshold
    return None if is_small(value, t) else value


# --- one dimension --------------------------------------------------------------


@dataclass(frozen=True)
class Protected1D:
    cells: list[int | None]
    total: int | None


def protect_1d(cells: Sequence[int], total: int, threshold: int | None = None) -> Protected1D:
    """Suppress a list of counts and its total (the total is the last entry)."""
    t = min_cell() if threshold is None else threshold
    values = [*cells, total]
    hidden = {i for i, v in enumerate(values) if is_small(v, t)}
    if hidden:
        _complete_1d(values, hidden)
    shown: list[int | None] = [None if i in hidden else v for i, v in enumerate(values)]
    return Protected1D(shown[:-1], shown[-1])


def _movable_1d(values: Sequence[int], hidden: set[int], e: int) -> bool:
    """Can hidden entry ``e`` change by one with the others compensating?

    The equation is cells - total = 0. Raising a cell is balanced by lowering
    another hidden cell (which must stay >= 1) or raising the total; lowering
    it (it must stay >= 1) by raising another cell or lowering the total.
    """
    last = len(values) - 1
    slack_e = values[e] - LOWER_BOUND >= 1
    for f in hidden:
        if f == e:
            continue
        slack_f = values[f] - LOWER_BOUND >= 1
        same_side = (e == last) == (f == last)
        if same_side and (slack_f or slack_e):
            return True  # e up, f down (or the reverse)
        if not same_side:
            return True  # e and f move together (cell and total)
    return False


def _complete_1d(values: Sequence[int], hidden: set[int]) -> None:
    last = len(values) - 1
    order = sorted(range(len(values)), key=lambda i: (values[i], i == last, i))
    pending = deque(sorted(hidden))
    while pending:
        e = pending.popleft()
        if e not in hidden or _movable_1d(values, hidden, e):
            continue
        candidates = [i for i in order if i not in hidden and values[i] != 0]
        chosen = next(
            (f for f in candidates if _movable_1d(values, hidden | {f}, e)),
            candidates[0] if candidates else None,
        )
        if chosen is None:
            continue  # nothing left to hide: only zeros remain, which cannot balance e
        hidden.add(chosen)
        pending.extend([e, chosen])


# --- two dimensions ---------------------------------------------------------------


@dataclass(frozen=True)
class Protected2D:
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None


def protect_2d(
    cells: Sequence[Sequence[int]],
    row_totals: Sequence[int],
    column_totals: Sequence[int],
    total: int,
    threshold: int | None = None,
) -> Protected2D:
    """Suppress a rows x columns table with its margins and grand total."""
    t = min_cell() if threshold is None else threshold
    grid = Grid(cells, row_totals, column_totals, total)
    hidden = {p for p in grid.entries() if is_small(grid.value(p), t)}
    if hidden:
        grid.complete(hidden)
    n_rows, n_cols = grid.n_rows, grid.n_cols

    def show(p: tuple[int, int]) -> int | None:
        return None if p in hidden else grid.value(p)

    return Protected2D(
        [[show((i, j)) for j in range(n_cols)] for i in range(n_rows)],
        [show((i, n_cols)) for i in range(n_rows)],
        [show((n_rows, j)) for j in range(n_cols)],
        show((n_rows, n_cols)),
    )


Pos = tuple[int, int]


class Grid:
    """A table with its margins as one (R+1) x (C+1) grid of entries.

    Row R holds the column totals, column C the row totals, (R, C) the grand
    total. Negating the margins makes every line of the grid sum to zero, so
    the equations are those of a bipartite graph: row nodes 0..R, column nodes
    R+1..R+C+1, one edge per entry.
    """

    def __init__(
        self,
        cells: Sequence[Sequence[int]],
        row_totals: Sequence[int],
        column_totals: Sequence[int],
        total: int,
    ) -> None:
        self.n_rows = len(row_totals)
        self.n_cols = len(column_totals)
        if len(cells) != self.n_rows or any(len(row) != self.n_cols for row in cells):
            raise ValueError("cells do not match the margins")
        self.values = [[*row, rt] for row, rt in zip(cells, row_totals, strict=True)]
        self.values.append([*column_totals, total])

    def entries(self) -> list[Pos]:
        return [(i, j) for i in range(self.n_rows + 1) for j in range(self.n_cols + 1)]

    def value(self, p: Pos) -> int:
        return self.values[p[0]][p[1]]

    def is_margin(self, p: Pos) -> bool:
        return (p[0] == self.n_rows) != (p[1] == self.n_cols)

    def line(self, p: Pos, axis: int) -> list[Pos]:
        if axis == 0:
            return [(p[0], j) for j in range(self.n_cols + 1)]
        return [(i, p[1]) for i in range(self.n_rows + 1)]

    # -- residual graph ---------------------------------------------------------

    def _nodes(self, p: Pos) -> tuple[int, int]:
        return p[0], self.n_rows + 1 + p[1]

    def arcs(self, p: Pos) -> list[tuple[int, int]]:
        """Residual arcs of a hidden entry: (from, to) node pairs.

        Forward (row -> column) raises the signed value, backward lowers it.
        Interior entries and the grand total have sign +, margins sign -.
        A hidden value may rise freely but fall only while it stays >= 1.
        """
        row, col = self._nodes(p)
        slack = self.value(p) - LOWER_BOUND >= 1
        margin = self.is_margin(p)
        result = []
        if not margin or slack:
            result.append((row, col))
        if margin or slack:
            result.append((col, row))
        return result

    def _adjacency(self, hidden: set[Pos]) -> tuple[dict[int, list], dict[int, list]]:
        out: dict[int, list[tuple[int, Pos]]] = {}
        back: dict[int, list[tuple[int, Pos]]] = {}
        for p in hidden:
            for a, b in self.arcs(p):
                out.setdefault(a, []).append((b, p))
                back.setdefault(b, []).append((a, p))
        return out, back

    @staticmethod
    def _reach(start: int, adjacency: dict[int, list], skip: Pos) -> set[int]:
        seen = {start}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for nxt, owner in adjacency.get(node, ()):
                if owner != skip and nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen

    def movable(self, hidden: set[Pos], p: Pos) -> bool:
        """True when hidden entry ``p`` has more than one feasible value."""
        out, _back = self._adjacency(hidden)
        return any(a in self._reach(b, out, p) for a, b in self.arcs(p))

    def disclosed(self, hidden: set[Pos]) -> set[Pos]:
        out, _back = self._adjacency(hidden)
        return {p for p in hidden if not any(a in self._reach(b, out, p) for a, b in self.arcs(p))}

    # -- completing the pattern ------------------------------------------------

    def _order_key(self, p: Pos) -> tuple[int, bool, int, int]:
        return (self.value(p), self.is_margin(p) or p == (self.n_rows, self.n_cols), *p)

    def _line_rule(self, hidden: set[Pos]) -> None:
        changed = True
        while changed:
            changed = False
            for p in list(hidden):
                for axis in (0, 1):
                    line = self.line(p, axis)
                    if sum(q in hidden for q in line) != 1:
                        continue
                    others = [q for q in line if q not in hidden and self.value(q) != 0]
                    if others:
                        hidden.add(min(others, key=self._order_key))
                        changed = True

    def _repairs(self, hidden: set[Pos], p: Pos) -> list[Pos]:
        """Visible non-zero entries whose hiding closes a cycle through ``p``."""
        out, back = self._adjacency(hidden)
        found = []
        for a, b in self.arcs(p):
            reach_from_b = self._reach(b, out, p)
            reach_to_a = self._reach(a, back, p)
            for q in self.entries():
                if q in hidden or self.value(q) == 0:
                    continue
                if any(x in reach_from_b and y in reach_to_a for x, y in self.arcs(q)):
                    found.append(q)
        return found

    def complete(self, hidden: set[Pos]) -> None:
        """Add complementary suppressions until no hidden entry is disclosed."""
        self._line_rule(hidden)
        pending = deque(sorted(self.disclosed(hidden)))
        while pending:
            p = pending.popleft()
            if self.movable(hidden, p):
                continue
            repairs = self._repairs(hidden, p)
            if not repairs:
                near = self.line(p, 0) + self.line(p, 1)
                repairs = [q for q in near if q not in hidden and self.value(q) != 0]
            if not repairs:
                repairs = [q for q in self.entries() if q not in hidden and self.value(q) != 0]
            if not repairs:
                continue
            chosen = min(repairs, key=self._order_key)
            hidden.add(chosen)
            pending.extend([p, chosen])

"""Disclosure control under attack.

Two attackers, written independently of the suppression code:

* the linear attacker solves the published equations (rows and columns add
  up to their totals) by exact Gaussian elimination and reads off every
  hidden value that the equations fix;
* the bounded attacker also uses what the method publishes (hidden values are
  whole numbers of at least 1, since zeros are always shown) and searches for
  a second solution in which the hidden value differs; none means recovered.

Hypothesis generates random tables with many small counts; every hidden value
must survive both attacks, and no published value may be small.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.stats.disclosure import protect_1d, protect_2d, safe_value

T = 5
VALUES = st.sampled_from([0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 9, 12, 25])

Entry = tuple[int, int]
Equation = tuple[dict[Entry, int], int]  # sum(coef * x) == constant


# --- the published tables, as equations over the hidden entries ------------------------------


def equations_2d(
    grid: list[list[int | None]], true: list[list[int]]
) -> tuple[list[Entry], list[Equation]]:
    """Grid with margins: last row = column totals, last column = row totals.

    ``true`` is only used for published entries (which the attacker sees).
    """
    n_rows, n_cols = len(grid) - 1, len(grid[0]) - 1
    hidden = [(i, j) for i in range(n_rows + 1) for j in range(n_cols + 1) if grid[i][j] is None]
    lines: list[list[tuple[Entry, int]]] = []
    for i in range(n_rows + 1):
        lines.append([((i, j), 1) for j in range(n_cols)] + [((i, n_cols), -1)])
    for j in range(n_cols + 1):
        lines.append([((i, j), 1) for i in range(n_rows)] + [((n_rows, j), -1)])
    equations: list[Equation] = []
    for line in lines:
        coefs: dict[Entry, int] = {}
        constant = 0
        for (i, j), sign in line:
            if grid[i][j] is None:
                coefs[(i, j)] = coefs.get((i, j), 0) + sign
            else:
                constant -= sign * true[i][j]
        if coefs:
            equations.append((coefs, constant))
    return hidden, equations


def linear_attack(hidden: list[Entry], equations: list[Equation]) -> dict[Entry, Fraction]:
    """Reduced row echelon form; an entry is recovered when a row isolates it."""
    index = {e: k for k, e in enumerate(hidden)}
    rows = []
    for coefs, constant in equations:
        row = [Fraction(0)] * (len(hidden) + 1)
        for e, c in coefs.items():
            row[index[e]] = Fraction(c)
        row[-1] = Fraction(constant)
        rows.append(row)
    pivot_row = 0
    for col in range(len(hidden)):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][col] != 0), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        pivot = rows[pivot_row][col]
        rows[pivot_row] = [v / pivot for v in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)]
        pivot_row += 1
    recovered = {}
    for row in rows:
        nonzero = [k for k in range(len(hidden)) if row[k] != 0]
        if len(nonzero) == 1:
            recovered[hidden[nonzero[0]]] = row[-1] / row[nonzero[0]]
    return recovered


Domains = dict[Entry, tuple[int, int]]


def _propagate(equations: list[Equation], domains: Domains) -> Domains | None:
    """Tighten each variable's [low, high] from every equation until nothing changes."""
    domains = dict(domains)
    changed = True
    while changed:
        changed = False
        for coefs, constant in equations:
            spans = {e: sorted((c * domains[e][0], c * domains[e][1])) for e, c in coefs.items()}
            low_sum = sum(lo for lo, _hi in spans.values())
            high_sum = sum(hi for _lo, hi in spans.values())
            for e, c in coefs.items():
                lo_rest = constant - (high_sum - spans[e][1])
                hi_rest = constant - (low_sum - spans[e][0])
                # c * x lies in [lo_rest, hi_rest]
                bounds = sorted((Fraction(lo_rest, c), Fraction(hi_rest, c)))
                new_lo = max(domains[e][0], -((-bounds[0].numerator) // bounds[0].denominator))
                new_hi = min(domains[e][1], bounds[1].numerator // bounds[1].denominator)
                if new_lo > new_hi:
                    return None
                if (new_lo, new_hi) != domains[e]:
                    domains[e] = (new_lo, new_hi)
                    changed = True
                    break
            if changed:
                break
    return domains


def _feasible(equations: list[Equation], domains: Domains, budget: list[int]) -> bool:
    """Is there an integer point in the domains satisfying every equation?"""
    budget[0] -= 1
    if budget[0] < 0:
        raise RuntimeError("search budget exhausted")
    tightened = _propagate(equations, domains)
    if tightened is None:
        return False
    open_vars = [e for e, (lo, hi) in tightened.items() if lo < hi]
    if not open_vars:
        return all(
            sum(c * tightened[e][0] for e, c in coefs.items()) == constant
            for coefs, constant in equations
        )
    var = min(open_vars, key=lambda e: tightened[e][1] - tightened[e][0])
    lo, hi = tightened[var]
    middle = (lo + hi) // 2
    return _feasible(equations, {**tightened, var: (lo, middle)}, budget) or _feasible(
        equations, {**tightened, var: (middle + 1, hi)}, budget
    )


def bounded_attack(
    hidden: list[Entry], equations: list[Equation], true: dict[Entry, int], upper: int
) -> set[Entry]:
    """Hidden entries for which no nearby other value is consistent with what is published.

    Values 1 and 2 away are tried; an entry with no such alternative counts as
    recovered (conservative: the attacker is credited with more than it may have).
    """
    recovered = set()
    for e in hidden:
        base = {h: (1, upper) for h in hidden}
        alternatives = [true[e] + d for d in (-1, 1, -2, 2) if 1 <= true[e] + d <= upper]
        budget = [100_000]
        if not any(_feasible(equations, {**base, e: (v, v)}, budget) for v in alternatives):
            recovered.add(e)
    return recovered


# --- helpers -------------------------------------------------------------------------------------


def publish_2d(cells: list[list[int]]) -> tuple[list[list[int]], list[list[int | None]]]:
    rows = [sum(r) for r in cells]
    cols = [sum(c) for c in zip(*cells, strict=True)]
    total = sum(rows)
    safe = protect_2d(cells, rows, cols, total, T)
    true = [[*r, rt] for r, rt in zip(cells, rows, strict=True)] + [[*cols, total]]
    shown = [[*r, rt] for r, rt in zip(safe.cells, safe.row_totals, strict=True)]
    shown.append([*safe.column_totals, safe.total])
    return true, shown


def tables() -> st.SearchStrategy[list[list[int]]]:
    return st.integers(1, 4).flatmap(
        lambda n_rows: st.integers(1, 4).flatmap(
            lambda n_cols: st.lists(
                st.lists(VALUES, min_size=n_cols, max_size=n_cols),
                min_size=n_rows,
                max_size=n_rows,
            )
        )
    )


# --- properties ----------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_it_never_lets_totals_reveal_a_hidden_cell_in_2d_tables(cells: list[list[int]]) -> None:
    true, shown = publish_2d(cells)
    for i, row in enumerate(shown):
        for j, value in enumerate(row):
            # Nothing small is published; what is published is the truth.
            assert value is None or value == 0 or value >= T
            assert value is None or value == true[i][j]
            # Zeros are never hidden (the attacker model relies on it).
            assert not (value is None and true[i][j] == 0)
    hidden, equations = equations_2d(shown, true)
    assert linear_attack(hidden, equations) == {}
    # Every row and column (totals included) holding a hidden entry holds two.
    for line in [*shown, *zip(*shown, strict=True)]:
        assert sum(v is None for v in line) != 1
    truth = {e: true[e[0]][e[1]] for e in hidden}
    upper = 2 * true[-1][-1] + 2
    assert bounded_attack(hidden, equations, truth, upper) == set()


@settings(max_examples=300, deadline=None)
@given(st.lists(VALUES, min_size=1, max_size=10))
def test_it_never_lets_the_total_reveal_a_hidden_cell_in_1d_tables(cells: list[int]) -> None:
    total = sum(cells)
    safe = protect_1d(cells, total, T)
    shown = [*safe.cells, safe.total]
    true = [*cells, total]
    for value, real in zip(shown, true, strict=True):
        assert value is None or value == 0 or value >= T
        assert value is None or value == real
        assert not (value is None and real == 0)
    # As a one-row 2-D grid: the row equation is the table's; the column equations are
    # trivial identities (each cell is its own column total) and are left out.
    hidden = [(0, k) for k, v in enumerate(shown) if v is None]
    coefs: dict[Entry, int] = {}
    constant = 0
    for k, v in enumerate(shown):
        sign = -1 if k == len(shown) - 1 else 1
        if v is None:
            coefs[(0, k)] = sign
        else:
            constant -= sign * true[k]
    equations: list[Equation] = [(coefs, constant)] if coefs else []
    assert linear_attack(hidden, equations) == {}
    truth = {e: true[e[1]] for e in hidden}
    upper = 2 * total + 2
    assert bounded_attack(hidden, equations, truth, upper) == set()


# --- the attackers work ------------------------------------------------------------------------


def test_it_shows_the_attacks_recover_cells_from_primary_suppression_alone() -> None:
    # Hiding only the small cell: the row total gives it away.
    true = [[3, 10, 13], [8, 9, 17], [11, 19, 30]]
    naive: list[list[int | None]] = [[None, 10, 13], [8, 9, 17], [11, 19, 30]]
    hidden, equations = equations_2d(naive, true)
    assert linear_attack(hidden, equations) == {(0, 0): 3}
    assert protect_2d([[3, 10], [8, 9]], [13, 17], [11, 19], 30, T).cells[0][0] is None
    # Two hidden cells adding up to 2: no linear solution, but each must be 1.
    pair = [(0, 0), (0, 1)]
    equation: Equation = ({(0, 0): 1, (0, 1): 1}, 2)
    assert linear_attack(pair, [equation]) == {}
    assert bounded_attack(pair, [equation], {(0, 0): 1, (0, 1): 1}, upper=5) == set(pair)


def test_it_hides_a_second_cell_when_two_hidden_cells_would_add_up_to_two() -> None:
    safe = protect_1d([1, 1, 10], 12, T)
    assert safe.cells[:2] == [None, None]
    # 1 + 1 = 12 - 10 would give both away; hiding 10 too leaves many solutions.
    assert safe.cells[2] is None
    assert safe.total == 12


def test_it_suppresses_the_total_when_it_equals_a_single_hidden_cell() -> None:
    safe = protect_1d([3, 0, 0], 3, T)
    assert safe.cells == [None, 0, 0]
    assert safe.total is None


def test_it_treats_zero_as_safe_and_small_standalone_figures_as_hidden() -> None:
    assert safe_value(0, T) == 0
    assert safe_value(4, T) is None
    assert safe_value(5, T) == 5
    assert protect_1d([0, 0, 7], 7, T).cells == [0, 0, 7]


def test_it_hides_a_bridge_between_two_protected_blocks() -> None:
    # Two 2x2 blocks of small cells joined by one small cell (0, 2): every line
    # holds two hidden cells, yet the joining cell is the difference of known
    # sums. The audit adds suppression until it is not.
    cells = [
        [2, 2, 3, 0, 20],
        [2, 2, 0, 0, 20],
        [0, 0, 2, 2, 20],
        [0, 0, 2, 2, 20],
        [20, 20, 20, 20, 20],
    ]
    primary_only = [[None if 0 < v < T else v for v in row] for row in cells]
    rows = [sum(r) for r in cells]
    cols = [sum(c) for c in zip(*cells, strict=True)]
    naive = [[*r, rt] for r, rt in zip(primary_only, rows, strict=True)] + [[*cols, sum(rows)]]
    full = [[*r, rt] for r, rt in zip(cells, rows, strict=True)] + [[*cols, sum(rows)]]
    assert (0, 2) in linear_attack(*equations_2d(naive, full))
    true, shown = publish_2d(cells)
    hidden, equations = equations_2d(shown, true)
    assert linear_attack(hidden, equations) == {}
    truth = {e: true[e[0]][e[1]] for e in hidden}
    assert bounded_attack(hidden, equations, truth, max(truth.values()) + 2) == set()


def test_it_protects_a_large_table_quickly() -> None:
    import random
    import time

    rng = random.Random(7)  # noqa: S311 - test data, not secrets
    cells = [[rng.choice([0, 0, 0, 1, 2, 3, 5, 8, 20]) for _ in range(60)] for _ in range(60)]
    started = time.perf_counter()
    safe = protect_2d(
        cells,
        [sum(r) for r in cells],
        [sum(c) for c in zip(*cells, strict=True)],
        sum(map(sum, cells)),
        T,
    )
    assert time.perf_counter() - started < 10
    for row, real in zip(safe.cells, cells, strict=True):
        for value, truth in zip(row, real, strict=True):
            assert value is None or not 0 < value < T
            assert value is None or value == truth

"""Shamir over the ristretto255 scalar field, and the entry derivation."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from matchsvc.oprf import ORDER
from vigil.matching import escrow
from vigil.vault import crypto

scalars = st.integers(min_value=0, max_value=ORDER - 1)
points = st.integers(min_value=1, max_value=2**32)


@st.composite
def polynomials(draw: st.DrawFn) -> tuple[list[int], list[int]]:
    threshold = draw(st.integers(min_value=2, max_value=5))
    coefficients = draw(st.lists(scalars, min_size=threshold, max_size=threshold))
    xs = draw(st.lists(points, min_size=threshold + 1, max_size=threshold + 2, unique=True))
    return coefficients, xs


@settings(max_examples=60, deadline=None)
@given(polynomials())
def test_it_reconstructs_the_secret_from_any_t_shares(case: tuple[list[int], list[int]]) -> None:
    coefficients, xs = case
    t = len(coefficients)
    shares = [(x, escrow.evaluate(coefficients, x)) for x in xs]
    for subset in itertools.combinations(shares, t):
        assert escrow.reconstruct(list(subset)) == coefficients[0]


@settings(max_examples=60, deadline=None)
@given(polynomials(), scalars)
def test_it_learns_nothing_from_t_minus_one_shares(
    case: tuple[list[int], list[int]], guess: int
) -> None:
    """t-1 shares fit every candidate secret equally: with the point (0, guess)
    added they always define a polynomial of degree t-1, so they cannot tell
    the true secret from any guess, and interpolating them alone misses it."""
    coefficients, xs = case
    t = len(coefficients)
    shares = [(x, escrow.evaluate(coefficients, x)) for x in xs[: t - 1]]
    if coefficients[-1] != 0:
        assert escrow.reconstruct(shares) != coefficients[0]
    # Build the polynomial through (0, guess) and the t-1 shares; it agrees with them.
    completed = [*shares, (xs[t - 1], _through([(0, guess), *shares], xs[t - 1]))]
    assert escrow.reconstruct(completed) == guess
    assert all(_through(completed, x) == y for x, y in shares), (
        "the completed polynomial passes through every real share"
    )


def _through(known: list[tuple[int, int]], at: int) -> int:
    """Lagrange evaluation at ``at`` (shift so the helper's interpolation at 0 applies)."""
    return (
        escrow.reconstruct([(x - at, y) for x, y in known])
        if at not in {x for x, _ in known}
        else dict(known)[at]
    )


def test_it_refuses_repeated_or_zero_points() -> None:
    for shares in ([(1, 5), (1, 6)], [(0, 5), (2, 6)]):
        try:
            escrow.reconstruct(shares)
        except ValueError:
            continue
        raise AssertionError(f"{shares} accepted")


@settings(max_examples=30, deadline=None)
@given(st.binary(min_size=64, max_size=64), st.integers(min_value=2, max_value=4))
def test_it_derives_tag_key_and_line_from_the_prf_output_alone(output: bytes, t: int) -> None:
    first, again = escrow.derive(output, t), escrow.derive(output, t)
    assert first == again and len(first.tag) == 32 and len(first.coefficients) == t
    shares = [(x, first.share(x)) for x in range(1, t + 1)]
    assert escrow.entry_key(escrow.reconstruct(shares)) == first.key
    # The tag the service sees is not the key and does not give it.
    assert first.tag != first.key
    assert crypto.decrypt(first.key, crypto.encrypt(first.key, b"x")) == b"x"


def test_it_refuses_a_threshold_of_one() -> None:
    try:
        escrow.derive(bytes(64), 1)
    except ValueError:
        return
    raise AssertionError("threshold 1 accepted")

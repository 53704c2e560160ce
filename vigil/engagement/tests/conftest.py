"""This app's vocabularies come from its data migration; a transactional test elsewhere
flushes every table, so load them again when they are missing."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _engagement_terms(_reference_data: None, request: pytest.FixtureRequest) -> None:
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames:
        return
    from vigil.engagement.models import THEME_LIST
    from vigil.engagement.vocabulary import load
    from vigil.vocab.models import Term

    if not Term.objects.filter(list=THEME_LIST).exists():
        load(Term)

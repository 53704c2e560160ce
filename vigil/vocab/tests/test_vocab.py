from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vigil.audit.models import AuditEvent
from vigil.conftest import World
from vigil.vocab import actions
from vigil.vocab.fields import TermChoiceField
from vigil.vocab.forms import tree_order
from vigil.vocab.loader import read_terms
from vigil.vocab.models import LANGS, Term, TermList

SignedIn = Callable[..., Client]

LABELS = {
    "label_en": "Forced to sign a blank protocol",
    "label_ru": "Принуждение подписать пустой протокол",
    "label_uk": "Примус підписати порожній протокол",
}


def _term(code: str) -> Term:
    return Term.objects.get(code=code)


def _add(client: Client, term_list: str = "act_type", **data: Any) -> Any:
    return client.post(f"/vocab/{term_list}/new/", {**LABELS, **data})


def _row_label(html: str, term: Term) -> str:
    """The current-language label shown in the term's own row."""
    match = re.search(rf'<tr id="term-{term.pk}"[^>]*>\s*<th scope="row"[^>]*>([^<]+)', html)
    assert match, f"row of {term.code} not found"
    return match.group(1).strip()


# --- the data loaded by the migration ------------------------------------------------


@pytest.mark.django_db
def test_it_loaded_every_list_with_labels_in_three_languages() -> None:
    # Other apps load their own lists into the table too (engagement topics, detention themes).
    shared = list(
        Term.objects.filter(organisation__isnull=True, list__in=TermList.values).select_related(
            "parent"
        )
    )
    for term_list in TermList.values:
        assert any(t.list == term_list for t in shared), f"{term_list} is empty"
    for term in shared:
        assert all(term.labels.get(lang, "").strip() for lang in LANGS), term.code
        if term.parent is not None:
            assert term.parent.list == term.list, term.code
            assert term.depth == term.parent.depth + 1
            assert term.path == f"{term.parent.path}{term.code}/"
        else:
            assert term.depth == 0 and term.path == f"{term.code}/"
    assert len(shared) == len(read_terms())


@pytest.mark.django_db
def test_it_keeps_codes_unique_and_apart_from_local_codes() -> None:
    codes = list(Term.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    assert not any(code.startswith("LOCAL.") or code.isdigit() for code in codes)


def test_it_knows_the_code_prefix_of_every_list() -> None:
    assert set(actions.LIST_PREFIX) == set(TermList.values)
    for row in read_terms():
        assert row["code"].split(".")[0] == actions.LIST_PREFIX[row["list"]], row["code"]


# --- reading ----------------------------------------------------------------------------


def test_it_shows_the_lists_with_counts(world: World, signed_in: SignedIn) -> None:
    shared = Term.objects.filter(list="method", organisation__isnull=True).count()
    response = signed_in("hotline").get("/vocab/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/vocab/method/"' in html
    assert re.search(rf'href="/vocab/method/">[^<]+</a></td>\s*<td>{shared}</td>', html)
    assert "/vocab/method/new/" not in html  # only a coordinator manages


def test_it_shows_the_hierarchy_with_codes_and_all_languages(
    world: World, signed_in: SignedIn
) -> None:
    response = signed_in("caseworker").get("/vocab/act_type/")
    html = response.content.decode()
    rape = _term("ACT.SEX.RAPE")
    assert _row_label(html, rape) == "Rape"
    assert 'class="depth-1"' in html and 'class="depth-0"' in html
    for text in ("ACT.SEX.RAPE", "4/020111010000", "RAPE", *rape.labels.values()):
        assert text in html
    # Parent before child, child before the next top-level term.
    positions = [html.index(f'id="term-{_term(c).pk}"') for c in ("ACT.SEX", "ACT.SEX.RAPE")]
    assert positions[0] < positions[1] < html.index(f'id="term-{_term("ACT.PHYS").pk}"')


@pytest.mark.parametrize("how", ["header", "cookie"])
def test_it_shows_russian_labels_in_the_russian_interface(
    world: World, signed_in: SignedIn, how: str
) -> None:
    client = signed_in("lawyer")
    rape = _term("ACT.SEX.RAPE")
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
        response = client.get("/vocab/act_type/")
    else:
        response = client.get("/vocab/act_type/", HTTP_ACCEPT_LANGUAGE="ru")
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert _row_label(html, rape) == rape.labels["ru"] == "Изнасилование"


def test_it_answers_404_for_an_unknown_list(world: World, signed_in: SignedIn) -> None:
    assert signed_in("coordinator").get("/vocab/no_such_list/").status_code == 404
    assert signed_in("coordinator").get("/vocab/no_such_list/new/").status_code == 404


def test_it_lists_terms_in_a_constant_number_of_queries(
    world: World, signed_in: SignedIn, django_assert_max_num_queries: Any
) -> None:
    client = signed_in("coordinator")
    coordinator = world["coordinator"].user
    parent = _term("ACT.SEX")
    actions.add_local_term(coordinator, world.org, "act_type", labels=_labels(), parent=parent)
    with CaptureQueriesContext(connection) as few:
        client.get("/vocab/act_type/")
    for _ in range(5):
        actions.add_local_term(coordinator, world.org, "act_type", labels=_labels(), parent=parent)
    with django_assert_max_num_queries(len(few)):
        response = client.get("/vocab/act_type/")
    assert response.content.decode().count('<span class="badge">local</span>') == 6
    with django_assert_max_num_queries(len(few)):
        assert client.get("/vocab/").status_code == 200


# --- adding a local term ---------------------------------------------------------------


def _labels() -> dict[str, str]:
    return {lang: LABELS[f"label_{lang}"] for lang in LANGS}


def test_it_lets_a_coordinator_add_a_local_term(world: World, signed_in: SignedIn) -> None:
    parent = _term("ACT.DET")
    response = _add(signed_in("coordinator"), parent=parent.pk, help_ru="Подсказка")
    term = Term.objects.get(labels__en=LABELS["label_en"])
    assert response.status_code == 302
    assert response["Location"] == f"/vocab/act_type/#term-{term.pk}"
    assert term.code == "LOCAL.SVITLO.ACT.1"
    assert term.organisation == world.org and term.list == "act_type"
    assert (term.parent, term.depth) == (parent, 1)
    assert term.path == "ACT.DET/LOCAL.SVITLO.ACT.1/"
    assert term.labels == _labels() and term.help == {"ru": "Подсказка"}
    assert term in Term.objects.of("act_type", world.org.pk)
    assert term not in Term.objects.of("act_type", world.other_org.pk)
    assert term not in Term.objects.of("act_type")
    event = AuditEvent.objects.get(action="vocab.term_add")
    assert (event.actor, event.organisation, event.target_id) == (
        world["coordinator"].user,
        world.org,
        str(term.pk),
    )
    assert event.data == {"code": term.code, "list": "act_type"}


def test_it_numbers_local_codes_per_organisation(world: World) -> None:
    mine, theirs = world["coordinator"].user, world.others["coordinator"].user
    first = actions.add_local_term(mine, world.org, "act_type", labels=_labels())
    second = actions.add_local_term(mine, world.org, "method", labels=_labels(), parent=None)
    child = actions.add_local_term(mine, world.org, "act_type", labels=_labels(), parent=first)
    other = actions.add_local_term(theirs, world.other_org, "act_type", labels=_labels())
    assert [first.code, second.code, child.code, other.code] == [
        "LOCAL.SVITLO.ACT.1",
        "LOCAL.SVITLO.MTH.2",
        "LOCAL.SVITLO.ACT.3",
        "LOCAL.DOSTYK.ACT.1",
    ]
    assert child.path == "LOCAL.SVITLO.ACT.1/LOCAL.SVITLO.ACT.3/" and child.depth == 1


def test_it_shows_local_terms_only_to_their_organisation(world: World, signed_in: SignedIn) -> None:
    _add(signed_in("coordinator"))
    assert LABELS["label_en"] in signed_in("analyst").get("/vocab/act_type/").content.decode()
    theirs = signed_in("coordinator", other=True)
    assert LABELS["label_en"] not in theirs.get("/vocab/act_type/").content.decode()
    assert LABELS["label_en"] not in theirs.get("/vocab/act_type/new/").content.decode()


def test_it_requires_a_label_in_every_language(world: World, signed_in: SignedIn) -> None:
    response = _add(signed_in("coordinator"), label_uk="  ")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_label_uk-error"' in html
    assert not Term.objects.filter(organisation__isnull=False).exists()


def test_it_refuses_a_parent_from_another_list_or_organisation(
    world: World, signed_in: SignedIn
) -> None:
    theirs = actions.add_local_term(
        world.others["coordinator"].user, world.other_org, "act_type", labels=_labels()
    )
    client = signed_in("coordinator")
    a_method = Term.objects.filter(list="method").values_list("pk", flat=True)[0]
    for parent in (a_method, theirs.pk):
        response = _add(client, parent=parent)
        assert response.status_code == 200
        assert 'id="id_parent-error"' in response.content.decode()
    assert not Term.objects.filter(organisation=world.org).exists()
    with pytest.raises(actions.VocabError):
        actions.add_local_term(
            world["coordinator"].user, world.org, "act_type", labels=_labels(), parent=theirs
        )


def test_it_offers_parents_in_tree_order(world: World, signed_in: SignedIn) -> None:
    local = actions.add_local_term(
        world["coordinator"].user, world.org, "act_type", labels=_labels(), parent=_term("ACT.SEX")
    )
    html = signed_in("coordinator").get("/vocab/act_type/new/").content.decode()
    options = re.findall(r'<option value="(\d*)"', html)
    index = {int(pk): i for i, pk in enumerate(options) if pk}
    assert options[0] == ""
    last_sex = max(
        index[t.pk] for t in Term.objects.filter(path__startswith="ACT.SEX/", organisation=None)
    )
    assert last_sex < index[local.pk] < index[_term("ACT.PHYS").pk]


def test_it_forbids_a_caseworker_to_add_a_term(world: World, signed_in: SignedIn) -> None:
    client = signed_in("caseworker")
    assert client.get("/vocab/act_type/new/").status_code == 403
    assert _add(client).status_code == 403
    assert not Term.objects.filter(organisation__isnull=False).exists()


# --- editing, deactivating ---------------------------------------------------------------


@pytest.fixture
def local_term(world: World) -> Term:
    return actions.add_local_term(
        world["coordinator"].user,
        world.org,
        "act_type",
        labels=_labels(),
        help_texts={"en": "Old help"},
        parent=_term("ACT.DET"),
    )


def test_it_edits_labels_and_keeps_the_code(
    world: World, signed_in: SignedIn, local_term: Term
) -> None:
    client = signed_in("coordinator")
    assert "Old help" in client.get(f"/vocab/terms/{local_term.pk}/").content.decode()
    new = {**LABELS, "label_en": "Made to sign a blank form", "code": "ACT.HACKED"}
    response = client.post(f"/vocab/terms/{local_term.pk}/", new)
    assert response.status_code == 302
    term = Term.objects.get(pk=local_term.pk)
    assert term.labels["en"] == "Made to sign a blank form"
    assert term.help == {}
    assert (term.code, term.path, term.parent_id) == (
        local_term.code,
        local_term.path,
        local_term.parent_id,
    )
    assert AuditEvent.objects.get(action="vocab.term_update").data == {
        "code": term.code,
        "languages": ["en"],
    }


def test_it_deactivates_a_term_without_deleting_it(
    world: World, signed_in: SignedIn, local_term: Term
) -> None:
    client = signed_in("coordinator")
    response = client.post(f"/vocab/terms/{local_term.pk}/", {"set_active": "0"})
    assert response.status_code == 302
    term = Term.objects.get(pk=local_term.pk)  # the row remains for history
    assert not term.is_active
    assert term not in Term.objects.of("act_type", world.org.pk)
    assert term not in TermChoiceField("act_type", world.org.pk).queryset  # type: ignore[operator]
    row = client.get("/vocab/act_type/").content.decode()
    assert f'<tr id="term-{term.pk}" class="inactive">' in row
    assert AuditEvent.objects.filter(action="vocab.term_deactivate").count() == 1

    client.post(f"/vocab/terms/{local_term.pk}/", {"set_active": "1"})
    assert term in Term.objects.of("act_type", world.org.pk)
    assert AuditEvent.objects.filter(action="vocab.term_activate").count() == 1


def test_it_hides_a_local_term_from_another_organisations_coordinator(
    world: World, signed_in: SignedIn, local_term: Term
) -> None:
    theirs = signed_in("coordinator", other=True)
    url = f"/vocab/terms/{local_term.pk}/"
    assert theirs.get(url).status_code == 404
    assert theirs.post(url, {**LABELS, "label_en": "Changed"}).status_code == 404
    assert theirs.post(url, {"set_active": "0"}).status_code == 404
    term = Term.objects.get(pk=local_term.pk)
    assert term.labels == local_term.labels and term.is_active


def test_it_keeps_shared_terms_read_only(world: World, signed_in: SignedIn) -> None:
    rape = _term("ACT.SEX.RAPE")
    client = signed_in("coordinator")
    assert client.get(f"/vocab/terms/{rape.pk}/").status_code == 403
    assert client.post(f"/vocab/terms/{rape.pk}/", {"set_active": "0"}).status_code == 403
    assert f'href="/vocab/terms/{rape.pk}/"' not in client.get("/vocab/act_type/").content.decode()
    with pytest.raises(actions.VocabError):
        actions.set_term_active(world["coordinator"].user, rape, False)
    with pytest.raises(actions.VocabError):
        actions.update_local_term(world["coordinator"].user, rape, labels=_labels())
    assert Term.objects.get(pk=rape.pk).is_active


@pytest.mark.django_db
def test_it_orders_a_tree_depth_first() -> None:
    terms = list(Term.objects.filter(list="act_type"))
    ordered = tree_order(reversed(terms))
    assert [t.code for t in ordered] == [t.code for t in sorted(terms, key=lambda t: t.order)]

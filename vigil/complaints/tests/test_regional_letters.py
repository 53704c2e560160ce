"""Letters in Georgian and Kyrgyz (PDF read back through pdftotext, DOCX through
python-docx), the oversight bodies and holidays of Moldova, Georgia, Kyrgyzstan and
Belarus, and working-day deadlines counted with them."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess

import pytest
from docx import Document

from vigil.complaints import deadlines, letters, wording
from vigil.complaints.models import Holiday, OversightBody
from vigil.complaints.tests.helpers import make_action, make_case
from vigil.complaints.tests.test_letters import docx_text, download, generate
from vigil.conftest import World


def pdf_text(pdf: bytes) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed: make system-deps"
    out = subprocess.run(  # noqa: S603 - fixed arguments, our own file on stdin
        [pdftotext, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(out.split())


def test_a_pdf_letter_in_georgian_reads_back_with_the_body_and_the_request(
    world: World, signed_in
) -> None:
    made = make_case(world, country="GE", region="GE-TB")
    action = make_action(
        world, made, slug="ge-ombudsman", grounds=("ECHR.3",), action_type="ombudsman"
    )
    client = signed_in("lawyer")
    (letter,) = generate(client, action, "ka", formats=("pdf",))
    text = pdf_text(download(client, letter))
    assert "საქართველოს სახალხო დამცველი" in text  # the body's name
    assert "მიმართვა" in text  # the title of an ombudsman petition
    assert "ადამიანის უფლებების დარღვევის შესახებ" in text  # the subject line
    assert "ზემოაღნიშნულიდან გამომდინარე, გთხოვთ" in text
    assert "დაიწყოთ საქმის წარმოება მისი უფლებების ზემოაღნიშნულ დარღვევაზე." in text


def test_a_pdf_letter_in_kyrgyz_reads_back_with_the_body_and_the_request(
    world: World, signed_in
) -> None:
    made = make_case(world, country="KG", region="KG-GB")
    action = make_action(world, made, slug="kg-police-internal", grounds=("ECHR.3",))
    client = signed_in("lawyer")
    (letter,) = generate(client, action, "ky", formats=("pdf",))
    text = pdf_text(download(client, letter))
    assert "Кыргыз Республикасынын Ички иштер министрлигинин Ички коопсуздук кызматы" in text
    assert "ДАТТАНУУ" in text
    assert "милиция кызматкерлеринин мыйзамсыз аракеттери жөнүндө" in text
    assert "Жогоруда баяндалгандардын негизинде СУРАНАМ" in text


def test_a_docx_letter_in_georgian_uses_a_font_with_georgian_letters(
    world: World, signed_in
) -> None:
    made = make_case(world, country="GE", region="GE-TB")
    action = make_action(world, made, slug="ge-police-internal", grounds=("ECHR.3",))
    client = signed_in("lawyer")
    (letter,) = generate(client, action, "ka", formats=("docx",))
    content = download(client, letter)
    text = docx_text(content)
    assert "საქართველოს შინაგან საქმეთა სამინისტროს გენერალური ინსპექცია" in text
    assert "პოლიციის თანამშრომლების უკანონო ქმედებების შესახებ" in text
    assert Document(io.BytesIO(content)).styles["Normal"].font.name == "Sylfaen"
    russian = Document(io.BytesIO(letters.build_default_template("police_internal", "ru")))
    assert russian.styles["Normal"].font.name == "Times New Roman"


@pytest.mark.parametrize("language", ["ro", "ka", "kk", "ky", "be"])
def test_every_new_language_has_all_the_letter_words(language: str) -> None:
    assert set(wording.labels(language)) == set(wording.labels("en"))
    assert wording.labels(language) != wording.labels("en")
    for action_type in wording.ACTION_TITLES:
        assert wording.action_title(action_type, language) != wording.action_title(
            action_type, "en"
        )
    for body_type in wording.BODY_WORDING:
        subject, requests = wording.body_wording(body_type, language)
        assert subject and requests
        assert (subject, requests) != wording.body_wording(body_type, "en")


@pytest.mark.parametrize(
    ("country", "types"),
    [
        ("MD", {"ombudsman", "npm", "prosecutor", "police_internal"}),
        ("GE", {"ombudsman", "npm", "prosecutor", "police_internal"}),
        ("KG", {"ombudsman", "npm", "prosecutor", "police_internal"}),
        # Belarus has no ombudsman and no national preventive mechanism.
        ("BY", {"prosecutor", "police_internal"}),
    ],
)
def test_the_directory_holds_the_bodies_of_the_region(
    db: None, country: str, types: set[str]
) -> None:
    bodies = OversightBody.objects.filter(country=country, organisation=None)
    assert {b.body_type for b in bodies} == types
    local = {"MD": "ro", "GE": "ka", "KG": "ky", "BY": "be"}[country]
    for body in bodies:
        assert body.response_days and body.names.get(local) and body.names.get("ru")
    assert all(b.names.get("kk") for b in OversightBody.objects.filter(country="KZ"))


@pytest.mark.parametrize("country", ["MD", "GE", "KG", "BY", "KZ"])
def test_holidays_are_loaded_for_2026_and_2027(db: None, country: str) -> None:
    for year in (2026, 2027):
        days = Holiday.objects.filter(country=country, date__year=year)
        assert days.count() >= 9
        assert days.filter(date=datetime.date(year, 1, 1)).exists()
        local = {"MD": "ro", "GE": "ka", "KG": "ky", "BY": "be", "KZ": "kk"}[country]
        assert all(day.names.get(local) for day in days)


def test_working_day_deadlines_skip_the_holidays_of_each_country(db: None) -> None:
    # Moldova: Easter Monday 13 April 2026 and Memorial Day 20 April 2026 are days off.
    assert deadlines.due_date(datetime.date(2026, 4, 10), 5, "working", "MD") == datetime.date(
        2026, 4, 21
    )
    # Georgia: Good Friday 10 April and Easter Monday 13 April 2026.
    assert deadlines.due_date(datetime.date(2026, 4, 9), 1, "working", "GE") == datetime.date(
        2026, 4, 14
    )
    # Belarus: Radunitsa, Tuesday 21 April 2026; not a holiday in Georgia.
    assert deadlines.due_date(datetime.date(2026, 4, 20), 1, "working", "BY") == datetime.date(
        2026, 4, 22
    )
    assert deadlines.due_date(datetime.date(2026, 4, 20), 1, "working", "GE") == datetime.date(
        2026, 4, 21
    )
    # Kyrgyzstan: 30 calendar days ending on Independence Day (Monday 31 August 2026) move on.
    assert deadlines.due_date(datetime.date(2026, 8, 1), 30, "calendar", "KG") == datetime.date(
        2026, 9, 1
    )

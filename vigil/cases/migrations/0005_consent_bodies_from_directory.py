"""Consent to share the identified case names a body of the directory.

Before, the body was free text ("ombudsman", "prosecutor", "police liaison"). Each
distinct text of an organisation is matched to a directory entry it sees (shared or
its own): by slug, then by a name in any language, then by type when exactly one
body of that type serves the organisation's country (or is international). A text
that matches nothing becomes a local entry flagged for a coordinator to complete.
Rows are re-pointed in place: the decision, its date and who recorded it do not
change, only the spelling of the body.
"""

from django.db import migrations
from django.db.models import Q
from django.utils.text import slugify


def _norm(text):
    return " ".join(str(text).split()).casefold()


def _match(bodies, text, country):
    wanted = _norm(text)
    for body in bodies:
        if _norm(body.slug) == wanted:
            return body
    for body in bodies:
        if any(_norm(name) == wanted for name in (body.names or {}).values()):
            return body
    typed = wanted.replace(" ", "_")
    of_type = [b for b in bodies if b.body_type == typed and b.country in (country, "")]
    if len(of_type) == 1:
        return of_type[0]
    return None


def _unique_slug(OversightBody, organisation, text):
    base = slugify(f"{organisation.slug}-{text}")[:56] or organisation.slug
    slug, n = base, 1
    while OversightBody.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def forwards(apps, schema_editor):
    Consent = apps.get_model("cases", "Consent")
    OversightBody = apps.get_model("complaints", "OversightBody")
    Organisation = apps.get_model("accounts", "Organisation")
    pairs = (
        Consent.objects.filter(purpose="share_identified")
        .exclude(body="")
        .values_list("organisation_id", "body")
        .distinct()
    )
    for organisation_id, text in sorted(set(pairs)):
        organisation = Organisation.objects.get(pk=organisation_id)
        bodies = list(
            OversightBody.objects.filter(
                Q(organisation__isnull=True) | Q(organisation_id=organisation_id)
            ).order_by("organisation_id", "pk")
        )
        body = _match(bodies, text, organisation.country)
        if body is None:
            body = OversightBody.objects.create(
                organisation=organisation,
                slug=_unique_slug(OversightBody, organisation, text),
                names={"en": " ".join(text.split())},
                body_type="other",
                needs_completion=True,
            )
        if body.slug != text:
            Consent.objects.filter(
                organisation_id=organisation_id, purpose="share_identified", body=text
            ).update(body=body.slug)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_consent_ladder"),
        ("complaints", "0004_body_needs_completion"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

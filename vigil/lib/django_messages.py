"""Django's own messages that a Vigil user sees and that Django's catalogue lacks
for Romanian, Georgian, Kazakh or Kyrgyz (Django 5.2; Belarusian is complete).

Listing them here makes ``makemessages`` keep them in Vigil's catalogue, and
Vigil's ``LOCALE_PATHS`` are searched before Django's, so Vigil's translation
is shown. Nothing imports the lists at run time except the test that checks
them against Django's catalogues; the texts must stay exactly as Django writes
them. Which languages lacked each one, when it was added (``* `` marks all of
ro, ka, kk, ky):

* form validation (kk; the step size one *): the length, integer, e-mail,
  choice and hidden-field messages;
* password rules (kk; the too-short one *);
* time since ("3 days", ka and kk) as the inbox and the phones pages show it;
* the page a refused form (CSRF) shows (ro, ka, kk).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext_lazy

FORMS = [
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid integer."),
    gettext_noop("Enter a complete value."),
    gettext_noop("Enter a valid duration."),
    gettext_noop("Enter a valid JSON."),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("Value %(value)r is not a valid choice."),
    gettext_noop("(Hidden field %(name)s) %(error)s"),
    gettext_noop("Ensure this value is a multiple of step size %(limit_value)s."),
    gettext_noop(
        "File extension “%(extension)s” is not allowed. "
        "Allowed extensions are: %(allowed_extensions)s."
    ),
    gettext_noop(
        "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it "
        "may be ambiguous or it may not exist."
    ),
]

PASSWORDS = [
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
]

CSRF = [
    gettext_noop("Forbidden"),
    gettext_noop("CSRF verification failed. Request aborted."),
    gettext_noop(
        "You are seeing this message because this site requires a CSRF cookie when "
        "submitting forms. This cookie is required for security reasons, to ensure that "
        "your browser is not being hijacked by third parties."
    ),
    gettext_noop(
        "If you have configured your browser to disable cookies, please re-enable "
        "them, at least for this site, or for “same-origin” requests."
    ),
    gettext_noop(
        "You are seeing this message because this HTTPS site requires a “Referer "
        "header” to be sent by your web browser, but none was sent. This header is "
        "required for security reasons, to ensure that your browser is not being "
        "hijacked by third parties."
    ),
    gettext_noop(
        "If you have configured your browser to disable “Referer” headers, please "
        "re-enable them, at least for this site, or for HTTPS connections, or for "
        "“same-origin” requests."
    ),
    gettext_noop(
        'If you are using the <meta name="referrer" content="no-referrer"> tag or '
        "including the “Referrer-Policy: no-referrer” header, please remove them. The "
        "CSRF protection requires the “Referer” header to do strict referer checking. "
        "If you’re concerned about privacy, use alternatives like <a "
        'rel="noreferrer" …> for links to third-party sites.'
    ),
    gettext_noop("More information is available with DEBUG=True."),
]

PLURALS = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this filename has at most %(max)d character (it has %(length)d).",
        "Ensure this filename has at most %(max)d characters (it has %(length)d).",
        "max",
    ),
    ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
]


def texts() -> list[tuple[str, str]]:
    """Every (msgid, msgid_plural) above; the plural is "" for a single form."""
    singles = [(text, "") for text in (*FORMS, *PASSWORDS, *CSRF)]
    plurals = [(getattr(p, "_kw")["singular"], getattr(p, "_kw")["plural"]) for p in PLURALS]  # noqa: B009
    return singles + plurals

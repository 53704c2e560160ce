from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import Organisation, Role, User


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("6-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits shown in your app.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    new_password1 = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput,
        help_text=_("At least 12 characters; not a common password."),
    )
    new_password2 = forms.CharField(label=_("New password again"), widget=forms.PasswordInput)

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self) -> str:
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("Your current password is not correct."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two new passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as exc:
                self.add_error("new_password1", exc)
        return data


class MemberCreateForm(forms.Form):
    """A new member's sign-in name is ``<organisation slug>.<name>``.

    Sign-in names are unique across the installation; without the prefix a
    coordinator could probe which names other organisations use ("taken").
    A slug has no dot, so two organisations' names can never collide and
    "taken" only ever speaks of one's own organisation.
    """

    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[\w.@+-]{3,99}$",
        error_messages={"invalid": _("3 to 99 letters, digits and . @ + - _ only.")},
    )
    email = forms.EmailField(label=_("Email (optional)"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prefix_name = f"{organisation.slug}."
        self.fields["username"].help_text = _(
            "The member signs in as %(prefix)s followed by this name."
        ) % {"prefix": self.prefix_name}

    def clean_username(self) -> str:
        value: str = self.cleaned_data["username"]
        if not value.lower().startswith(self.prefix_name.lower()):
            value = self.prefix_name + value
        if User.objects.filter(username__iexact=value).exists():
            raise forms.ValidationError(_("This username is taken."))
        return value


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class RecoveryForm(forms.Form):
    phrase = forms.CharField(
        label=_("Recovery phrase (24 words)"),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
    )


class StepUpForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)
    token = TokenForm.base_fields["token"]


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    position = forms.CharField(
        label=_("Position"),
        max_length=200,
        required=False,
        help_text=_(
            "As printed under your name in letters, e.g. lawyer, head of the legal team. "
            "Write it in the language you usually write letters in."
        ),
    )

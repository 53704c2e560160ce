from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DeviceForm(forms.Form):
    label = forms.CharField(
        label=_("Label of the phone"),
        max_length=60,
        help_text=_("For example “phone 3”. Not a person's name: the list is not sealed."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

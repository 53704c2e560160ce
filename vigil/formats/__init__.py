"""Local date and number formats where Django ships none (kk, be) or another habit (ka).

Found through ``settings.FORMAT_MODULE_PATH``; a name missing here falls back to
Django's own module for the language. Dates are written dd.mm.yyyy, as on
documents in Kazakhstan, Belarus and Georgia. Romanian and Kyrgyz use Django's
own modules, which already write d.m.Y.
"""

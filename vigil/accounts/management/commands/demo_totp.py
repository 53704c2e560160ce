from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Demo only: print the current TOTP code of a demo user (no phone needed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        device = TOTPDevice.objects.filter(
            user__username=options["username"], confirmed=True, name="demo"
        ).first()
        if device is None:
            raise CommandError("no demo TOTP device for this user")
        self.stdout.write(f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}")

#!/usr/bin/env python
"""Send the welcome email to one address, to check templates by hand.

Usage: poetry run python scripts/send_test_email.py someone@example.com
"""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidewater.django.settings")
django.setup()

from tidewater.apps.people.models import User  # noqa: E402
from wailer.models import Email  # noqa: E402


def main(address: str) -> None:
    user = User.objects.get(email=address)
    Email.send("welcome", {}, user)


if __name__ == "__main__":
    main(sys.argv[1])

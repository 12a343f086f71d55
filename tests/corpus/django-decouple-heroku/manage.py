#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    from decouple import config

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", config("DJANGO_SETTINGS_MODULE", default="tickets.settings"))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)

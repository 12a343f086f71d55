from django.core import mail

from harbour.apps.cargo.importer import LEGACY_HOST


def test_host():
    assert LEGACY_HOST.startswith("ftp.")
    mail.send_mail("s", "b", None, ["ops@harbour.example"])

"""Imports manifests from the legacy FTP drop (runs in a Celery task)."""

from ftplib import FTP_TLS

import requests

LEGACY_HOST = "ftp.legacy.harbour.example"


def fetch_manifests(user, password):
    with FTP_TLS(LEGACY_HOST) as ftp:
        ftp.login(user, password)
        return ftp.nlst()


def notify_partner(payload):
    return requests.post("https://partners.harbour.example/api/v3/mail/send-notice", json=payload, timeout=10)

"""Error answers are friendly HTML for people and JSON under /api/; oversized bodies never hit the disk."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from disclosures.models import Disclosure

pytestmark = pytest.mark.django_db


def test_an_unknown_page_gets_the_site_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"We could not find that page." in response.content
    assert response["Content-Type"].startswith("text/html")


def test_an_unknown_api_path_gets_json(client: Client) -> None:
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response.json() == {"detail": "We could not find that page."}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048)
def test_pasted_text_over_the_form_limit_gets_413_with_a_reason(client: Client, representative, company) -> None:
    client.force_login(representative)
    response = client.post(f"/companies/{company.slug}/disclosures/new/", {"text": "We audit suppliers. " * 500})
    assert response.status_code == 413
    assert b"Pasted text can be at most" in response.content
    assert not Disclosure.objects.exists()


MEGABYTE = 1024 * 1024


@override_settings(DISCLOSURE_MAX_UPLOAD_BYTES=MEGABYTE)
def test_an_oversized_upload_is_refused_with_its_size_and_nothing_is_kept(
    client: Client, representative, company, settings
) -> None:
    client.force_login(representative)
    big = SimpleUploadedFile(
        "statement.pdf", b"%PDF-1.4\n" + b"0" * (MEGABYTE * 3 // 2), content_type="application/pdf"
    )
    response = client.post(f"/companies/{company.slug}/disclosures/new/", {"file": big})
    assert response.status_code == 200
    assert b"This is 1.5 MB; the limit is 1.0 MB." in response.content
    assert not Disclosure.objects.exists()
    assert list(settings.MEDIA_ROOT.rglob("*")) == []


def test_the_size_handler_passes_files_within_the_limit_through(client: Client, representative, company) -> None:
    client.force_login(representative)
    small = SimpleUploadedFile("statement.txt", b"We audit all suppliers every year.", content_type="text/plain")
    response = client.post(f"/companies/{company.slug}/disclosures/new/", {"file": small})
    assert response.status_code == 302
    assert Disclosure.objects.get().byte_size == len(b"We audit all suppliers every year.")


@override_settings(DISCLOSURE_MAX_UPLOAD_BYTES=4096)
def test_the_api_answers_413_for_an_oversized_upload(client: Client, representative, company) -> None:
    client.force_login(representative)
    big = SimpleUploadedFile("statement.pdf", b"%PDF-1.4\n" + b"0" * 20_000, content_type="application/pdf")
    response = client.post(f"/api/v1/companies/{company.slug}/disclosures/", {"file": big})
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]

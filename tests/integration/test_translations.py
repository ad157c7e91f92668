"""Spanish: the catalogue is complete for the public pages, in step with the sources, compiled, and served.

(a) no empty or fuzzy translation for a message used by a public page (its ``#:`` occurrences);
(b) ``makemessages`` run over a copy of the sources finds no message missing from the committed .po;
(c) the public pages rendered for ``Accept-Language: es`` read in Spanish and show none of the English UI;
plus the committed .mo carries every translation of the .po, and the language switcher works.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

REPO_ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = REPO_ROOT / "disclosures" / "locale"
PO_PATH = LOCALE_DIR / "es" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# Where the strings of the public pages live: their templates, and the code that words what they show.
PUBLIC_SOURCES: tuple[str, ...] = (
    "templates/base.html",
    "templates/brands/",
    "templates/companies/",
    "templates/includes/",
    "templates/pages/",
    "templates/data/",
    "templates/errors/",
    "templates/disclosures/detail.html",
    "templates/registry/lookup.html",
    "templates/registry/_result.html",
    "templates/registry/proof.html",
    "templates/registry/proof_error.html",
    "templates/registry/verify_proof.html",
    "templates/accounts/login.html",
    "disclosures/core/explain.py",
    "disclosures/views/search.py",
    "disclosures/views/companies.py",
    "disclosures/views/pages.py",
    "disclosures/views/data.py",
    "disclosures/views/filings.py",
    "disclosures/views/registry.py",
    "disclosures/views/registry_forms.py",
    "disclosures/selectors/search.py",
    "disclosures/selectors/registry.py",
    "disclosures/models/",
    "supplychain/settings.py",
)


# --- a small .po reader -------------------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    occurrences: list[str] = field(default_factory=list)
    fuzzy: bool = False

    @property
    def translated(self) -> bool:
        return not self.fuzzy and bool(self.msgstr) and all(self.msgstr.values())


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')


def po_entries(path: Path) -> list[Entry]:
    """Entries of a .po file (the header excluded); enough of the format for what makemessages writes."""
    entries, entry, target = [], Entry(), ("msgid", 0)
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry.msgid:
                entries.append(entry)
            entry = Entry()
        elif line.startswith("#:"):
            entry.occurrences += [item.rsplit(":", 1)[0] for item in line[2:].split()]
        elif line.startswith("#,"):
            entry.fuzzy = entry.fuzzy or "fuzzy" in line
        elif match := _KEYWORD.match(line):
            target = (match[1], int(match[2] or 0))
            _append(entry, target, ast.literal_eval(match[3]), reset=True)
        elif line.startswith('"'):
            _append(entry, target, ast.literal_eval(line))
    return entries


def _append(entry: Entry, target: tuple[str, int], text: str, *, reset: bool = False) -> None:
    kind, index = target
    if kind == "msgstr":
        entry.msgstr[index] = ("" if reset else entry.msgstr.get(index, "")) + text
    elif kind == "msgid_plural":
        entry.msgid_plural = ("" if reset else entry.msgid_plural or "") + text
    elif kind == "msgid":
        entry.msgid = ("" if reset else entry.msgid) + text


def is_public(entry: Entry) -> bool:
    return any(place.startswith(PUBLIC_SOURCES) for place in entry.occurrences)


# --- (a) complete for the public pages ----------------------------------------------------------------------


def test_the_spanish_catalogue_exists_with_its_compiled_file() -> None:
    assert PO_PATH.is_file(), f"missing {PO_PATH}: run makemessages -l es"
    assert MO_PATH.is_file(), f"missing {MO_PATH}: run compilemessages"
    assert len(po_entries(PO_PATH)) > 500


def test_every_message_of_the_public_pages_has_a_spanish_translation() -> None:
    public = [entry for entry in po_entries(PO_PATH) if is_public(entry)]
    untranslated = [f"{entry.occurrences[0]}: {entry.msgid!r}" for entry in public if not entry.translated]
    assert len(public) > 400
    assert not untranslated, f"{len(untranslated)} public messages lack Spanish:\n" + "\n".join(untranslated)


def test_translations_keep_every_placeholder_of_the_english() -> None:
    placeholder = re.compile(r"%\(\w+\)[sd]|%%|\{\{ *\w+ *\}\}|<[a-z]+[^>]*>")
    wrong = [
        entry.msgid
        for entry in po_entries(PO_PATH)
        if entry.translated
        and any(
            sorted(placeholder.findall(text)) != sorted(placeholder.findall(entry.msgid_plural or entry.msgid))
            for index, text in entry.msgstr.items()
            if index > 0 or entry.msgid_plural is None
        )
    ]
    assert not wrong, "translations that lost or changed a placeholder:\n" + "\n".join(wrong)


def test_the_compiled_catalogue_carries_every_translation_of_the_po() -> None:
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        entry.msgid
        for entry in po_entries(PO_PATH)
        if entry.translated and entry.msgid_plural is None and compiled.gettext(entry.msgid) != entry.msgstr[0]
    ]
    assert not stale, "the .mo is older than the .po; run compilemessages:\n" + "\n".join(stale[:20])


# --- (b) in step with the sources ---------------------------------------------------------------------------


def test_the_catalogue_has_every_message_the_sources_mark_for_translation(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("GNU gettext (xgettext, msgmerge) is not installed, so makemessages cannot run here")
    # A copy of the sources, so that makemessages cannot touch the committed catalogue.
    ignore = shutil.ignore_patterns("locale", "__pycache__", "*.pyc")
    for name in ("disclosures", "templates", "supplychain"):
        shutil.copytree(REPO_ROOT / name, tmp_path / name, ignore=ignore)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["es"], no_obsolete=True, verbosity=0)

    fresh = {entry.msgid for entry in po_entries(tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po")}
    committed = {entry.msgid for entry in po_entries(PO_PATH)}
    missing = sorted(fresh - committed)
    assert not missing, (
        f"{len(missing)} messages are not in the .po; run "
        "`python manage.py makemessages -l es --ignore=.venv --ignore=tests --no-obsolete`, translate, "
        "and compilemessages:\n" + "\n".join(missing[:40])
    )


# --- (c) the pages themselves -------------------------------------------------------------------------------

# English UI wording from the public templates; none may show on a Spanish page.
ENGLISH_UI: tuple[str, ...] = (
    "Search brands",
    "Contractor registry",
    "About the scores",
    "Report or get help",
    "Skip to content",
    "Sign in",
    "How we score",
    "Open data",
    "National Human Trafficking Hotline",
    "Brand or company name",
    "Typos are fine",
    "results for",
    "Owned by",
    "A brand of",
    "Grade and scores",
    "Practice score",
    "Compliance score",
    "Compliance tier",
    "area by area",
    "See it highlighted",
    "No disclosure found",
    "Says it does not",
    "Says nothing",
    "Does it",
    "Supplier audits",
    "Staff training",
    "Does the law likely apply",
    "Likely covered",
    "Disclosure received",
    "The disclosure text",
    "Highlighted passages",
    "Registry number",
    "Please note",
    "Eligibility",
    "Contracts and certifications",
    "How to check this proof",
    "Check a printed proof",
    "Paste the proof",
    "Signing keys",
    "Forgot your password",
    "Create an account",
    "The five areas",
    "Two scores, never one",
    "If someone is in immediate danger",
    "Compliance tiers",
    "Downloads",
    "Licence",
    "The contract is in force",
)

SKIPPED_ELEMENTS = frozenset({"script", "style", "blockquote", "pre", "code", "mark", "template"})
# Company data (names, the disclosure's own words, staff-written reasons) stays in the language it was written in.
SKIPPED_CLASSES = frozenset({"page-text", "evidence", "disclosure-title"})


class VisibleText(HTMLParser):
    """The page's own words: skips scripts and anything quoting the company's or registry's data."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping: tuple[str, int] | None = None  # (tag, depth) of the element being skipped

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            self.skipping = (self.skipping[0], self.skipping[1] + (tag == self.skipping[0]))
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag in SKIPPED_ELEMENTS or classes & SKIPPED_CLASSES:
            self.skipping = (tag, 1)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and tag == self.skipping[0]:
            depth = self.skipping[1] - 1
            self.skipping = (tag, depth) if depth else None

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def demo_site(db: None, django_capture_on_commit_callbacks: Any) -> dict[str, str]:
    """The demo cast, processed (the on-commit enqueue runs inside the test's transaction)."""
    from disclosures.models import Certification, Disclosure
    from disclosures.services.demo import demo_seed

    with django_capture_on_commit_callbacks(execute=True):
        demo_seed(today=timezone.localdate())
    number = Certification.objects.filter(status="active").order_by("number").values_list("number", flat=True)[0]
    disclosure = Disclosure.objects.filter(company__slug="northwind-apparel").latest("pk")
    return {"number": number, "disclosure": str(disclosure.pk)}


def spanish_pages(site: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """path -> Spanish wording the page must show (besides the navigation)."""
    number = site["number"]
    return {
        "/": ("¿Quién lo fabrica", "Nombre de la marca o de la empresa"),
        "/?q=nrthwind": ("resultado", "Propiedad de"),
        "/brands/northwind/": ("Una marca de", "Calificación y puntajes"),
        "/companies/northwind-apparel/": ("Puntaje de prácticas", "Lo que dice la declaración, área por área"),
        f"/disclosures/{site['disclosure']}/": ("El texto de la declaración", "Lo que dice, área por área"),
        "/registry/": ("Registro de certificaciones de contratistas", "Consultar"),
        f"/registry/?q={number}": ("Elegibilidad", "Tenga en cuenta"),
        f"/registry/{number}/": ("Cómo verificar este comprobante", "Vigente", "El contrato está en vigor."),
        "/registry/verify-proof/": ("Verificar un comprobante del registro", "Claves de firma"),
        "/about/": ("Dos puntajes, nunca uno", "Las cinco áreas"),
        "/help/": ("Si alguien está en peligro inmediato", "Qué puede hacer"),
        "/statistics/": ("Niveles de cumplimiento", "Por industria"),
        "/data/": ("Datos abiertos y API", "Descargas"),
        "/accounts/login/": ("Iniciar sesión", "¿Olvidó su contraseña?"),
    }


def _problems(path: str, html: str, expected: tuple[str, ...]) -> list[str]:
    text = VisibleText.of(html)
    problems = [f"no Spanish “{words}”" for words in ("Buscar marcas", *expected) if words not in text]
    problems += [f"English “{words}”" for words in ENGLISH_UI if words in text]
    if '<html lang="es">' not in html:
        problems.append('not <html lang="es">')
    return [f"{path}: {problem}" for problem in problems]


def test_the_public_pages_read_in_spanish_for_a_browser_that_asks_for_it(demo_site: dict[str, str]) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
    problems = []
    for path, expected in spanish_pages(demo_site).items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Language"] == "es", path
        problems += _problems(path, response.content.decode(), expected)
    assert not problems, "\n".join(problems)


def test_a_checked_proof_reads_in_spanish(demo_site: dict[str, str]) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    proof_page = client.get(f"/registry/{demo_site['number']}/").content.decode()
    proof_text = re.search(r'<pre[^>]*id="proof-text"[^>]*>(.*?)</pre>', proof_page, re.DOTALL)[1]
    response = client.post("/registry/verify-proof/", {"proof": proof_text})
    assert response.status_code == 200
    assert "Válido." in response.content.decode()
    assert "Valid." not in VisibleText.of(response.content.decode())


def test_the_same_pages_stay_in_english_for_an_english_browser(demo_site: dict[str, str]) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    response = client.get("/companies/northwind-apparel/")
    assert response["Content-Language"] == "en"
    assert "Search brands" in response.content.decode()
    assert "Buscar marcas" not in response.content.decode()


def test_an_unsupported_language_falls_back_to_english(db: None) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").get("/")
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def test_the_language_switcher_remembers_spanish_and_returns_to_the_page(db: None) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/about/"})
    assert response.status_code == 302
    assert response["Location"] == "/about/"
    assert client.cookies["django_language"].value == "es"
    page = client.get("/about/").content.decode()
    assert '<html lang="es">' in page
    assert "Sobre los puntajes" in page


def test_the_switcher_offers_both_languages_in_their_own_names(db: None) -> None:
    page = Client().get("/").content.decode()
    assert re.search(r'<option value="en"[^>]* lang="en">English</option>', page)
    assert re.search(r'<option value="es"[^>]* lang="es">español</option>', page)

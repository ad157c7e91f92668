"""CSV imports of brands and companies: the services and the ``import_brands`` / ``import_companies`` commands."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from disclosures.models import Brand, BrandAlias, Company, SearchIndexState
from disclosures.models.companies import Coverage
from disclosures.selectors.search import brand_search, search_index
from disclosures.services.brands import search_index_bump
from disclosures.services.imports import brands_import_csv, companies_import_csv, csv_rows
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_index(settings: object) -> Iterator[None]:
    settings.SEARCH_INDEX_CHECK_SECONDS = 0
    search_index().reset()
    yield
    search_index().reset()


def _rows(text: str) -> Iterator:
    return csv_rows(text)[1]


def _version() -> int:
    state = SearchIndexState.objects.first()
    return state.version if state else 0


BRANDS = """brand,company,aliases
Levi's,Levi Strauss & Co.,Levis|Levi Strauss
Dockers,Levi Strauss & Co.,
Nike,"Nike, Inc.",Nike Sportswear
"""


def test_it_imports_brands_creating_their_companies() -> None:
    summary = brands_import_csv(rows=_rows(BRANDS))
    assert summary.rows == 3
    assert summary.brands_created == 3
    assert summary.companies_created == 2
    assert summary.aliases_added == 3
    assert summary.errors == []
    levi = Company.objects.get(name="Levi Strauss & Co.")
    assert sorted(levi.brands.values_list("name", flat=True)) == ["Dockers", "Levi's"]
    assert sorted(BrandAlias.objects.filter(brand__name="Levi's").values_list("alias", flat=True)) == [
        "Levi Strauss",
        "Levis",
    ]
    assert levi.slug == "levi-strauss-co"


def test_importing_the_same_file_twice_changes_nothing() -> None:
    brands_import_csv(rows=_rows(BRANDS))
    counts = (Company.objects.count(), Brand.objects.count(), BrandAlias.objects.count())
    version = _version()
    summary = brands_import_csv(rows=_rows(BRANDS))
    assert (Company.objects.count(), Brand.objects.count(), BrandAlias.objects.count()) == counts
    assert summary.brands_created == summary.companies_created == summary.aliases_added == 0
    assert summary.unchanged == 3
    assert _version() == version  # nothing changed, so no process needs to rebuild


def test_an_import_bumps_the_search_version_once_and_search_finds_the_brands() -> None:
    search_index_bump()
    before = _version()
    search_index().get()
    brands_import_csv(rows=_rows(BRANDS))
    assert _version() == before + 1
    assert next(row.name for row in brand_search(query="levis").rows) == "Levi's"
    assert [row.name for row in brand_search(query="dokers").rows] == ["Dockers"]


def test_bad_rows_are_reported_with_line_numbers_and_good_rows_kept() -> None:
    text = "brand,company\nGood One,Acme\n,Acme\nOrphan,\n" + ("x" * 300) + ",Acme\nGood Two,Acme\n"
    summary = brands_import_csv(rows=_rows(text))
    assert summary.brands_created == 2
    assert [line for line, _ in summary.errors] == [3, 4, 5]
    assert "brand name is empty" in summary.errors[0][1]
    assert "company name is empty" in summary.errors[1][1]
    assert "longer than 255" in summary.errors[2][1]
    assert sorted(Brand.objects.values_list("name", flat=True)) == ["Good One", "Good Two"]


def test_companies_are_matched_case_insensitively() -> None:
    existing = CompanyFactory(name="Acme Goods Inc.")
    summary = brands_import_csv(rows=_rows("brand,company\nRoadrunner,ACME GOODS INC.\n"))
    assert summary.companies_created == 0
    assert Brand.objects.get(name="Roadrunner").company == existing


def test_the_same_brand_name_under_two_companies_gets_two_slugs() -> None:
    brands_import_csv(rows=_rows("brand,company\nPolo,Ralph Lauren\nPolo,Volkswagen\n"))
    brands_import_csv(rows=_rows("brand,company\nPolo,Lacoste\n"))
    assert sorted(Brand.objects.values_list("slug", flat=True)) == ["polo", "polo-2", "polo-3"]


def test_imported_brands_keep_a_history() -> None:
    brands_import_csv(rows=_rows("brand,company\nRoadrunner,Acme\n"))
    assert Brand.objects.get(name="Roadrunner").history.count() == 1


def test_a_large_file_is_imported_in_chunks_with_progress() -> None:
    lines = ["brand,company,aliases"] + [f"Brand {n},Company {n % 50},Alias {n}" for n in range(4500)]
    seen: list[int] = []
    summary = brands_import_csv(rows=_rows("\n".join(lines)), progress=seen.append)
    assert summary.brands_created == 4500
    assert summary.companies_created == 50
    assert seen == [2000, 4000, 4500]


# --- companies ------------------------------------------------------------------------------------------

COMPANIES = """company,website,industry,revenue_band,sells_in_california,parent,naics,disclosure_url,aliases
Levi Strauss & Co.,https://www.levistrauss.com,apparel,over_1b,yes,,315,https://www.levistrauss.com/ca,LS&Co.
Dockers Inc.,,Apparel and footwear,100m_1b,,Levi Strauss & Co.,,,
Tiny Toys LLC,https://tiny.example,toys,under_100m,no,Toy Holdings,,,
"""


def test_it_imports_company_attributes_and_parents() -> None:
    summary = companies_import_csv(rows=_rows(COMPANIES))
    assert summary.errors == []
    assert summary.companies_created == 4  # three rows plus the parent "Toy Holdings"
    levi = Company.objects.get(name="Levi Strauss & Co.")
    assert levi.website == "https://www.levistrauss.com"
    assert levi.industry == "apparel"
    assert levi.naics_code == "315"
    assert levi.sells_in_california is True
    assert levi.aliases == ["LS&Co."]
    assert levi.coverage == Coverage.LIKELY_COVERED
    dockers = Company.objects.get(name="Dockers Inc.")
    assert dockers.parent == levi
    assert dockers.industry == "apparel"  # matched by its label
    assert dockers.sells_in_california is None
    tiny = Company.objects.get(name="Tiny Toys LLC")
    assert tiny.parent.name == "Toy Holdings"
    assert tiny.coverage == Coverage.LIKELY_NOT


def test_importing_companies_twice_changes_nothing_and_empty_cells_keep_values() -> None:
    companies_import_csv(rows=_rows(COMPANIES))
    version = _version()
    summary = companies_import_csv(rows=_rows(COMPANIES))
    assert summary.companies_created == summary.companies_updated == 0
    assert summary.unchanged == 3
    assert _version() == version
    companies_import_csv(
        rows=_rows("company,website,industry,revenue_band,sells_in_california,parent\nLevi Strauss & Co.,,,,,\n")
    )
    assert Company.objects.get(name="Levi Strauss & Co.").website == "https://www.levistrauss.com"


def test_bad_company_rows_are_reported_and_the_rest_kept() -> None:
    text = (
        "company,website,industry,revenue_band,sells_in_california,parent,naics\n"
        "Good Co,,toys,,,,\n"
        "Bad Industry,,spaceships,,,,\n"
        "Bad Bool,,,,perhaps,,\n"
        "Bad Website,not a url,,,,,\n"
        "Bad Naics,,,,,,12ab\n"
        "Self Parent,,,,,Self Parent,\n"
        "Also Good,,food,over_1b,yes,Good Co,\n"
    )
    summary = companies_import_csv(rows=_rows(text))
    assert [line for line, _ in summary.errors] == [3, 4, 5, 6, 7]
    assert "industry must be one of" in summary.errors[0][1]
    assert "website" in summary.errors[2][1]
    assert Company.objects.get(name="Also Good").parent.name == "Good Co"
    assert Company.objects.get(name="Bad Website").website == ""  # created, but the bad value was not kept


def test_an_ownership_loop_is_rejected() -> None:
    header = "company,website,industry,revenue_band,sells_in_california,parent\n"
    companies_import_csv(rows=_rows(header + "Alpha,,,,,Beta\n"))
    summary = companies_import_csv(rows=_rows(header + "Beta,,,,,Alpha\n"))
    assert summary.errors == [(2, "making 'Alpha' the parent would create an ownership loop")]
    assert Company.objects.get(name="Beta").parent is None


def test_company_aliases_become_searchable() -> None:
    companies_import_csv(rows=_rows(COMPANIES))
    rows = brand_search(query="ls&co").rows
    assert [row.company.name for row in rows][:1] == ["Levi Strauss & Co."]


# --- the commands ---------------------------------------------------------------------------------------


def _write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_brand_command_prints_errors_progress_and_a_summary(tmp_path: Path) -> None:
    path = _write(tmp_path, "brand,company\nGood,Acme\n,Acme\n")
    out, err = StringIO(), StringIO()
    call_command("import_brands", str(path), stdout=out, stderr=err)
    assert "brands created: 1" in out.getvalue()
    assert "rejected: 1" in out.getvalue()
    assert "line 3: the brand name is empty" in err.getvalue()
    assert "100%" in err.getvalue()


def test_the_company_command_imports_a_file(tmp_path: Path) -> None:
    out = StringIO()
    call_command("import_companies", str(_write(tmp_path, COMPANIES)), "--no-progress", stdout=out, stderr=StringIO())
    assert "companies created: 4" in out.getvalue()
    assert Company.objects.filter(name="Dockers Inc.", parent__name="Levi Strauss & Co.").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"brand,name\nNike,Nike Inc\n", "missing required column(s): company"),
        (b"\xff\xfe\x00b\x00r\x00a\x00n\x00d", "binary file"),
        (b"brand,company\nCaf\xe9,Acme\n", "not UTF-8"),
    ],
)
def test_an_unusable_file_exits_with_status_2_and_one_line(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "input.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError) as raised:
        call_command("import_brands", str(path), stdout=StringIO(), stderr=StringIO())
    assert raised.value.returncode == 2
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_the_company_command_names_every_missing_column(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as raised:
        call_command("import_companies", str(_write(tmp_path, "company,website\nAcme,\n")), stderr=StringIO())
    assert raised.value.returncode == 2
    assert "industry, revenue_band, sells_in_california, parent" in str(raised.value)


def test_the_real_command_line_exits_2_for_a_missing_file(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["SQLITE_PATH"] = str(tmp_path / "unused.sqlite3")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_brands", str(tmp_path / "nope.csv")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"CommandError: {tmp_path / 'nope.csv'}: no such file"]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("command", "columns"), [("import_brands", "aliases"), ("import_companies", "naics")])
def test_the_help_documents_the_columns(capsys: pytest.CaptureFixture[str], command: str, columns: str) -> None:
    with pytest.raises(SystemExit):
        call_command(command, "--help")
    help_text = capsys.readouterr().out
    assert "columns (header row required" in help_text
    assert f"  {columns} " in help_text
    assert "Exit status" in help_text

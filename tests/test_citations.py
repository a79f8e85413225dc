"""What the code, tests and docs cite is in the repository, or is Oracle's own documentation.

A citation of a file outside the repository (a path on one machine, notes beside a working
copy) sends every other reader nowhere. Section numbers (§) are those of
docs/oracle-sources.md, which names the Oracle documentation each stands for: every number
cited has its row there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
OWN = ("airflow_datapump", "tests", "docs", "benchmarks", "scripts", "example_dags")
SUFFIXES = {".py", ".md", ".toml", ".cfg", ".txt", ".yml", ".yaml", ".sql"}
# Spelled in two pieces, so this file does not cite what it looks for.
OUTSIDE = ("shared" + "/reference", "/wo" + "rk/", "](" + "../")
SECTION = re.compile(r"§ ?(\d+(?:\.\d+)*)")


@pytest.fixture(scope="module")
def texts() -> dict[Path, str]:
    """Every file the checks read, read once for both."""
    files = [ROOT / "README.md", ROOT / "pyproject.toml", ROOT / "Makefile"]
    for folder in OWN:
        files += [p for p in (ROOT / folder).rglob("*") if p.suffix in SUFFIXES and p.is_file()]
    return {p: p.read_text(encoding="utf-8", errors="replace") for p in files if "__pycache__" not in p.parts}


def test_nothing_cites_a_file_outside_the_repository(texts: dict[Path, str]) -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path, text in texts.items()
        for number, line in enumerate(text.splitlines(), 1)
        if any(outside in line for outside in OUTSIDE)
    ]
    assert found == []


def test_every_section_number_cited_names_its_oracle_documentation(texts: dict[Path, str]) -> None:
    sources = (ROOT / "docs" / "oracle-sources.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| §(\d+(?:\.\d+)*) \|", sources, re.MULTILINE))
    cited = {
        f"{path.relative_to(ROOT)}: §{number}"
        for path, text in texts.items()
        for number in SECTION.findall(text)
        if number not in rows
    }
    assert cited == set()

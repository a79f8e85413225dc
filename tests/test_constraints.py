"""``make constraints`` re-pins from pip freeze, keeping the pins chosen by hand with their reasons."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OLD_AIRFLOW = ROOT / "constraints" / "airflow-3.0.6-python3.11.txt"
# What an environment with newer packages would freeze: the hand-chosen pins' newer releases.
FROZEN = "fastapi==0.140.0\nPyJWT==2.12.1\nrequests==2.33.0\n"


def make_constraints(tmp_path: Path, target: Path, frozen: str = FROZEN) -> subprocess.CompletedProcess[str]:
    """Run the Makefile's recipe with a ``python`` whose pip freeze prints ``frozen``."""
    if shutil.which("make") is None:
        pytest.fail("make is not installed: the README's commands need it")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "python"
    fake.write_text(f"#!/bin/sh\ncat <<'EOF'\n{frozen}EOF\n")
    fake.chmod(0o755)
    argv = ["make", "-s", "-C", str(ROOT), "constraints", f"BIN={bin_dir}", f"CONSTRAINTS={target}"]
    argv += ["AIRFLOW_VERSION=3.0.6", f"PYTHON={sys.executable}"]
    return subprocess.run(argv, capture_output=True, text=True)


def test_hand_chosen_pins_and_their_comments_survive_a_re_pin(tmp_path: Path) -> None:
    target = tmp_path / "constraints.txt"
    shutil.copy(OLD_AIRFLOW, target)
    done = make_constraints(tmp_path, target)
    assert done.returncode == 0, done.stderr
    text = target.read_text()
    lines = text.splitlines()
    assert "PyJWT==2.10.1" in lines
    assert "fastapi==0.131.0" in lines
    assert "requests==2.33.0" in lines  # an unexplained pin is the freeze's
    assert "PyJWT==2.12.1" not in lines
    assert "fastapi==0.140.0" not in lines
    jwt = lines.index("PyJWT==2.10.1")
    assert lines[jwt - 1].startswith("# POST /auth/token fails with HTTP 500")
    assert text.startswith("# Every package the development environment installs, pinned (Airflow 3.0.6")


def test_an_empty_freeze_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "constraints.txt"
    shutil.copy(OLD_AIRFLOW, target)
    done = make_constraints(tmp_path, target, frozen="")
    assert done.returncode != 0
    assert "left as it was" in done.stderr
    assert target.read_text() == OLD_AIRFLOW.read_text()

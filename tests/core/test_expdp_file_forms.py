"""Every ``DIR:file`` form of DUMPFILE, LOGFILE and SQLFILE survives parse -> JobSpec -> to_expdp.

The property: whatever directories the files name (none, DIRECTORY's, or others), the
command line written back parses to the same JobSpec, and every file stays in the directory
the original command put it in.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from airflow_datapump import JobSpec

_DIRECTORIES = ("DP1", "DP2", "DP3")
_WHERE = st.sampled_from((None, *_DIRECTORIES))  # None: no DIR: part (DIRECTORY's, or the default)


def _file(directory: str | None, name: str) -> str:
    return name if directory is None else f"{directory}:{name}"


@st.composite
def _commands(draw: st.DrawFn) -> tuple[str, str, dict[str, str]]:
    """An expdp or impdp command line using some of the forms, its tool, and where each
    named file goes by expdp's rules (a ``DIR:`` of its own, else DIRECTORY, else the default)."""
    words, places = ["FULL=YES"], {}
    given_base = draw(_WHERE)
    base = given_base or "DATA_PUMP_DIR"
    if given_base is not None:
        words.append(f"DIRECTORY={given_base}")
    dumps = draw(st.lists(_WHERE, min_size=1, max_size=3))
    words.append("DUMPFILE=" + ",".join(_file(d, f"f{i}_%U.dmp") for i, d in enumerate(dumps)))
    places.update({f"f{i}_%U.dmp": d or base for i, d in enumerate(dumps)})
    log = draw(st.sampled_from(("absent", "none", *_DIRECTORIES)))
    if log != "absent":
        words.append("LOGFILE=" + _file(None if log == "none" else log, "job.log"))
        places["job.log"] = base if log == "none" else log
    sql = draw(st.sampled_from(("export", "import", "none", *_DIRECTORIES)))
    if sql in ("none", *_DIRECTORIES):
        words.append("SQLFILE=" + _file(None if sql == "none" else sql, "ddl.sql"))
        places["ddl.sql"] = base if sql == "none" else sql
    return ("expdp" if sql == "export" else "impdp"), " ".join(words), places


def _parsed(tool: str, command: str) -> JobSpec:
    return JobSpec.from_expdp(command) if tool == "expdp" else JobSpec.from_impdp(command)


def _placed(spec: JobSpec) -> dict[str, str]:
    """Which directory each file the job names lands in."""
    places = {name: directory for directory, name in spec.dump_locations()}
    if spec.log_file is not None:
        places[spec.log_file] = spec.effective_log_directory
    if spec.sql_file is not None:
        places[spec.sql_file] = spec.directory
    return places


@settings(max_examples=300, deadline=None)
@given(_commands())
def test_every_directory_file_form_survives_the_round_trip(case: tuple[str, str, dict[str, str]]) -> None:
    tool, command, places = case
    spec = _parsed(tool, command)
    assert _placed(spec) == places, command
    written = spec.to_expdp()
    again = _parsed(tool, written.split(" ", 1)[1])
    assert again == spec, (command, written)


def test_a_sql_file_in_another_directory_is_written_with_its_directory() -> None:
    spec = JobSpec.from_impdp("DIRECTORY=DP1 DUMPFILE=full.dmp SQLFILE=DP2:ddl.sql")
    assert (spec.directory, spec.sql_file, spec.log_directory) == ("DP2", "ddl.sql", "DP1")
    written = spec.to_expdp()
    assert "SQLFILE=DP2:ddl.sql" in written
    assert JobSpec.from_impdp(written.split(" ", 1)[1]) == spec

"""expdp/impdp syntax: every parameter of the Utilities guide mapped or refused by name, the
quoting rules of a parameter file and of a shell command line, and errors named by parameter."""

from __future__ import annotations

from pathlib import Path

import pytest

from airflow_datapump import JobSpec, SpecError
from airflow_datapump.core import expdp

# The parameter lists of Oracle's Utilities guide, "Parameters Available in Data Pump Export
# Command-Line Mode" and "... Import Command-Line Mode" (19c, with 21c and 23ai additions).
GUIDE_EXPDP = """ABORT_STEP ACCESS_METHOD ATTACH CHECKSUM CHECKSUM_ALGORITHM CLUSTER COMPRESSION
    COMPRESSION_ALGORITHM CONTENT CREDENTIAL DATA_OPTIONS DIRECTORY DUMPFILE ENABLE_SECURE_ROLES
    ENCRYPTION ENCRYPTION_ALGORITHM ENCRYPTION_MODE ENCRYPTION_PASSWORD ENCRYPTION_PWD_PROMPT ESTIMATE
    ESTIMATE_ONLY EXCLUDE FILESIZE FLASHBACK_SCN FLASHBACK_TIME FULL HELP INCLUDE JOB_NAME KEEP_MASTER
    LOGFILE LOGTIME METRICS NETWORK_LINK NOLOGFILE PARALLEL PARALLEL_THRESHOLD PARFILE QUERY REMAP_DATA
    REUSE_DUMPFILES SAMPLE SCHEMAS SERVICE_NAME SOURCE_EDITION STATUS TABLES TABLESPACES
    TRANSPORT_FULL_CHECK TRANSPORT_TABLESPACES TRANSPORTABLE TTS_CLOSURE_CHECK VERSION
    VIEWS_AS_TABLES""".split()
GUIDE_IMPDP = """ABORT_STEP ACCESS_METHOD ATTACH CLUSTER CONTENT CREDENTIAL DATA_OPTIONS DIRECTORY DUMPFILE
    ENABLE_SECURE_ROLES ENCRYPTION_PASSWORD ENCRYPTION_PWD_PROMPT ESTIMATE EXCLUDE FLASHBACK_SCN
    FLASHBACK_TIME FULL HELP INCLUDE JOB_NAME KEEP_MASTER LOGFILE LOGTIME MASTER_ONLY METRICS
    NETWORK_LINK NOLOGFILE PARALLEL PARALLEL_THRESHOLD PARFILE PARTITION_OPTIONS QUERY REMAP_DATA
    REMAP_DATAFILE REMAP_DIRECTORY REMAP_SCHEMA REMAP_TABLE REMAP_TABLESPACE REUSE_DATAFILES SCHEMAS
    SERVICE_NAME SKIP_UNUSABLE_INDEXES SOURCE_EDITION SQLFILE STATUS STREAMS_CONFIGURATION
    TABLE_EXISTS_ACTION TABLES TABLESPACES TARGET_EDITION TRANSFORM TRANSPORT_DATAFILES
    TRANSPORT_FULL_CHECK TRANSPORT_TABLESPACES TRANSPORTABLE VERIFY_CHECKSUM VERIFY_ONLY VERSION
    VIEWS_AS_TABLES""".split()
GUIDE_INTERACTIVE = (
    "ADD_FILE CONTINUE_CLIENT EXIT_CLIENT FILESIZE HELP KILL_JOB PARALLEL START_JOB STATUS STOP_JOB"
)


@pytest.mark.parametrize(
    ("tool", "name"),
    [("expdp", n) for n in GUIDE_EXPDP] + [("impdp", n) for n in GUIDE_IMPDP],
)
def test_every_guide_parameter_is_mapped_or_refused_by_name(tool: str, name: str) -> None:
    known = expdp.EXPDP_PARAMETERS if tool == "expdp" else expdp.IMPDP_PARAMETERS
    assert name in known
    assert (name in expdp.MAPPED) != (name in expdp.REFUSED)
    if name in expdp.REFUSED:
        with pytest.raises(SpecError) as caught:
            expdp.parse(tool, command=[f"{name}=x"])
        assert caught.value.field == name
        assert caught.value.allowed == expdp.REFUSED[name]


@pytest.mark.parametrize("name", GUIDE_INTERACTIVE.split())
def test_interactive_commands_are_refused_or_are_also_parameters(name: str) -> None:
    if name in expdp.INTERACTIVE_COMMANDS:
        with pytest.raises(SpecError, match="interactive command") as caught:
            JobSpec.from_expdp(name)
        assert caught.value.field == name
    else:
        assert name in expdp.EXPDP_PARAMETERS  # FILESIZE, PARALLEL ... are parameters too


def test_the_tables_hold_nothing_beyond_the_guide() -> None:
    assert set(expdp.EXPDP_PARAMETERS) - {"TRACE", "USERID"} == set(GUIDE_EXPDP)
    assert set(expdp.IMPDP_PARAMETERS) - {"TRACE", "USERID"} == set(GUIDE_IMPDP)


def test_a_parameter_of_the_other_tool_is_refused_by_name() -> None:
    with pytest.raises(SpecError) as caught:
        JobSpec.from_expdp("SCHEMAS=HR TABLE_EXISTS_ACTION=REPLACE")
    assert caught.value.field == "TABLE_EXISTS_ACTION"
    assert "expdp" in caught.value.allowed


def test_userid_and_a_leading_connect_string_are_refused_without_the_password() -> None:
    for command in ("hr/tiger123@pdb1 SCHEMAS=HR", "USERID=hr/tiger123@pdb1 SCHEMAS=HR"):
        with pytest.raises(SpecError) as caught:
            JobSpec.from_expdp(command)
        assert caught.value.field == "USERID"
        assert "tiger123" not in str(caught.value)


def test_a_shell_command_line_and_a_parameter_file_mean_the_same(tmp_path: Path) -> None:
    shell = (
        r"expdp SCHEMAS=hr DIRECTORY=dp DUMPFILE=hr.dmp INCLUDE=TABLE:\"IN \(\'EMP\', \'DEPT\'\)\" "
        r"QUERY=hr.emp:\"WHERE sal \> 1000\" TABLES_ignored=0"
    ).replace(" TABLES_ignored=0", "")
    parfile = tmp_path / "hr.par"
    parfile.write_text(
        "SCHEMAS=hr\nDIRECTORY=dp\nDUMPFILE=hr.dmp\n"
        "INCLUDE=TABLE:\"IN ('EMP', 'DEPT')\"\nQUERY=hr.emp:\"WHERE sal > 1000\"\n"
    )
    argv = ["SCHEMAS=hr", "DIRECTORY=dp", "DUMPFILE=hr.dmp", "INCLUDE=TABLE:\"IN ('EMP', 'DEPT')\"",
            'QUERY=hr.emp:"WHERE sal > 1000"']  # fmt: skip
    assert JobSpec.from_expdp(shell) == JobSpec.from_parfile(parfile) == JobSpec.from_expdp(argv)


def test_a_pound_sign_starts_a_comment_in_a_parameter_file_unless_quoted(tmp_path: Path) -> None:
    parfile = tmp_path / "t.par"
    parfile.write_text("TABLES=emp#, dept\nDIRECTORY=dp DUMPFILE=t.dmp\n")
    assert [str(t) for t in JobSpec.from_parfile(parfile).tables] == ["EMP"]
    parfile.write_text("TABLES=('\"emp#\"', dept)\nDIRECTORY=dp DUMPFILE=t.dmp\n")
    assert [str(t) for t in JobSpec.from_parfile(parfile).tables] == ['"emp#"', "DEPT"]
    # On a command line there are no comments: EMP# is an ordinary name.
    assert [str(t) for t in JobSpec.from_expdp("TABLES=emp# DUMPFILE=t.dmp").tables] == ["EMP#"]


def test_parfile_on_the_command_line_is_read_and_combined(tmp_path: Path) -> None:
    parfile = tmp_path / "base.par"
    parfile.write_text("SCHEMAS=hr\nDIRECTORY=dp\n")
    spec = JobSpec.from_expdp(f"PARFILE={parfile} DUMPFILE=hr_%U.dmp PARALLEL=2")
    assert (spec.schemas, spec.dump_files, spec.parallel) == (("HR",), ("hr_%U.dmp",), 2)
    parfile.write_text("PARFILE=other.par\n")
    with pytest.raises(SpecError, match="nested") as caught:
        JobSpec.from_parfile(parfile)
    assert caught.value.field == "PARFILE"


@pytest.mark.parametrize(
    ("command", "field"),
    [
        ("SCHEMAS=hr COMPRESSION=bogus", "COMPRESSION"),
        ("SCHEMAS=hr PARALLEL=0", "PARALLEL"),
        ("SCHEMAS=hr FULL=YES", "FULL"),
        ("SCHEMAS=hr SCHEMAS=sh JOB_NAME=a JOB_NAME=b", "JOB_NAME"),
        ("SCHEMAS=hr DUMPFILE=a.dmp FILESIZE=lots", "FILESIZE"),
        ("SCHEMAS=hr DUMPFILE=../x.dmp", "DUMPFILE"),
        ("SCHEMAS=hr DUMPFILE=d1:a.dmp,1d:b.dmp", "DUMPFILE"),
        ("SCHEMAS=hr ESTIMATE_ONLY=maybe", "ESTIMATE_ONLY"),
        ("SCHEMAS=hr CONTENT=SOME", "CONTENT"),
        ("SCHEMAS=hr EXCLUDE=TABLE:\"LIKE 'A%'); DROP\"", "EXCLUDE"),
        ('SCHEMAS=hr QUERY="WHERE 1=1; DROP TABLE x"', "QUERY"),
        ("SCHEMAS=hr FLASHBACK_TIME=\"TO_TIMESTAMP('31-02-2024', 'DD-MM-YYYY')\"", "FLASHBACK_TIME"),
        ("SCHEMAS=hr DATA_OPTIONS=FAST", "DATA_OPTIONS"),
        ("SCHEMAS=hr CLUSTER=NO", "CLUSTER"),
        ("SCHEMAS=hr NOLOGFILE=YES LOGFILE=x.log", "NOLOGFILE"),
        ("SCHEMAS=hr STATUS=often", "STATUS"),
        ("SCHEMAS=hr SH", "SH"),
        ("SCHEMAS=", "SCHEMAS"),
    ],
)
def test_errors_name_the_expdp_parameter(command: str, field: str) -> None:
    with pytest.raises(SpecError) as caught:
        JobSpec.from_expdp(command.replace("\"", "\\\"").replace("'", "\\'").replace("(", "\\(")
                           .replace(")", "\\)").replace(";", "\\;").replace(">", "\\>"))  # fmt: skip
    assert caught.value.field == field, caught.value


def test_impdp_errors_name_the_impdp_parameter() -> None:
    with pytest.raises(SpecError) as caught:
        JobSpec.from_impdp("DUMPFILE=a.dmp REMAP_SCHEMA=HR")
    assert caught.value.field == "REMAP_SCHEMA"
    with pytest.raises(SpecError) as caught:
        JobSpec.from_impdp("DUMPFILE=a.dmp TRANSFORM=NO_SUCH:Y")
    assert caught.value.field == "TRANSFORM"
    with pytest.raises(SpecError) as caught:
        JobSpec.from_impdp("DUMPFILE=a.dmp SQLFILE=2d:x.sql DIRECTORY=d1")
    assert caught.value.field == "SQLFILE"
    # Files in several directories: each keeps its own (Utilities guide, DUMPFILE).
    spec = JobSpec.from_impdp("DUMPFILE=a.dmp SQLFILE=d2:x.sql DIRECTORY=d1")
    assert (spec.directory, spec.dump_locations()) == ("D2", (("D1", "a.dmp"),))


def test_the_encryption_password_never_shows_and_the_prompt_takes_it() -> None:
    spec = JobSpec.from_expdp(
        "SCHEMAS=hr DUMPFILE=e.dmp ENCRYPTION_MODE=PASSWORD ENCRYPTION_PASSWORD=Sup3rSecret"
    )
    assert spec.encryption_password is not None
    assert spec.encryption_password.reveal() == "Sup3rSecret"
    assert "Sup3rSecret" not in spec.to_expdp() + repr(spec)
    assert "ENCRYPTION_PWD_PROMPT=YES" in spec.to_expdp()
    again = JobSpec.from_expdp(spec.to_expdp(), encryption_password="Sup3rSecret")
    assert again == spec
    with pytest.raises(SpecError) as caught:
        JobSpec.from_expdp(spec.to_expdp())
    assert caught.value.field == "ENCRYPTION_PWD_PROMPT"
    with pytest.raises(SpecError) as caught:
        JobSpec.from_expdp("SCHEMAS=hr ENCRYPTION_PASSWORD=a ENCRYPTION_PASSWORD=b")
    assert caught.value.value == "***"


def test_the_defaults_follow_expdp_and_impdp() -> None:
    export = JobSpec.from_expdp("DUMPFILE=me.dmp")
    assert (export.operation, export.mode, export.schemas, export.directory) == (
        "EXPORT", "SCHEMA", (), "DATA_PUMP_DIR"
    )  # fmt: skip
    assert JobSpec.from_impdp("DUMPFILE=all.dmp").mode == "FULL"


REMAP_FOR_TABLES = {"name": "REMAP_SCHEMA", "old_value": "A", "value": "B", "object_type": "TABLE"}
NAMES_WITHOUT_INCLUDE = {"object_path": "TABLE", "operator": "IN", "values": ["A"]}


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        (JobSpec("IMPORT", "SCHEMA", schemas=["A"], dump_files=["a.dmp"], remaps=[REMAP_FOR_TABLES]),
         "remaps.REMAP_SCHEMA"),
        (JobSpec("IMPORT", "FULL", dump_files=["a.dmp"], delete_dump_files=True), "delete_dump_files"),
        (JobSpec("IMPORT", "SCHEMA", dump_files=["a.dmp"]), "schemas"),
        (JobSpec("SQL_FILE", "FULL", dump_files=["a.dmp"]), "sql_file"),
        (JobSpec("EXPORT", "SCHEMA", name_filters=[NAMES_WITHOUT_INCLUDE]), "name_filters"),
    ],
)  # fmt: skip
def test_to_expdp_refuses_what_no_parameter_says(spec: JobSpec, field: str) -> None:
    with pytest.raises(SpecError) as caught:
        spec.to_expdp()
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("SCHEMAS=HR DIR=DP", "a parameter expdp takes, written in full (DIRECTORY)"),
        ("SCHEMAS=HR TAB=EMP", "a parameter expdp takes, written in full (TABLES or TABLESPACES)"),
        ("SCHEMAS=HR BOGUS=1", "a parameter expdp takes; BOGUS is not one"),
    ],
)
def test_a_shortened_parameter_name_is_refused_naming_what_it_could_mean(text: str, allowed: str) -> None:
    """The Utilities guide documents full names only; an abbreviation is not guessed at."""
    with pytest.raises(SpecError) as caught:
        JobSpec.from_expdp(text)
    assert caught.value.allowed == allowed


def test_a_misspelt_parameter_name_is_refused_naming_the_nearest_one() -> None:
    """A typo in a parameter file is the commonest mistake; the error names what was meant
    (and still accepts nothing but the name written in full)."""
    with pytest.raises(SpecError) as caught:
        JobSpec.from_expdp("SCHEMAS=HR PARALEL=2")
    assert caught.value.allowed == "a parameter expdp takes; PARALEL is not one (did you mean PARALLEL?)"


@pytest.mark.parametrize(
    ("parfile", "command", "where"),
    [
        (
            "TABLE_EXISTS_ACTION=TRUNCATE\n",
            ["TABLE_EXISTS_ACTION=REPLACE"],
            "in the parameter file and again on the command line",
        ),
        ("TABLE_EXISTS_ACTION=TRUNCATE\nTABLE_EXISTS_ACTION=REPLACE\n", [], "twice in the parameter file"),
        ("", ["TABLE_EXISTS_ACTION=TRUNCATE", "TABLE_EXISTS_ACTION=REPLACE"], "twice on the command line"),
    ],
)
def test_a_parameter_given_twice_is_refused_saying_where(
    tmp_path: Path, parfile: str, command: list[str], where: str
) -> None:
    path = tmp_path / "imp.par"
    path.write_text("SCHEMAS=APP DUMPFILE=app.dmp\n" + parfile)
    with pytest.raises(SpecError) as caught:
        JobSpec.from_impdp([f"PARFILE={path}", *command])
    assert caught.value.field == "TABLE_EXISTS_ACTION"
    assert caught.value.allowed == f"the parameter once; it is given {where}"

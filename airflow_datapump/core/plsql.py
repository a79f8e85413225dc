"""Every statement airflow-datapump sends, as fixed text; every value travels as a bind.

Why the submit block takes its calls as delimited text: a job has a variable number of files,
filters and parameters, yet must be defined, started and detached in one round trip by one
fixed block. PL/SQL array binds would do it, but Oracle documents them only for parameters of
package-declared types, not for variables of an anonymous block, so that form is a guess on a
real database. Instead each group of calls is one VARCHAR2 bind of records separated by
CHR(30), fields by CHR(31) (characters the job model refuses in any value); the block splits
them with INSTR/SUBSTR. The values stay data: they are arguments to DBMS_DATAPUMP calls and
never become SQL text. Numeric values are passed as text and converted with TO_NUMBER, so
SET_PARAMETER, DATA_FILTER and METADATA_TRANSFORM pick their NUMBER overload (§2.9, §11.6).

Section numbers (§) are those of docs/oracle-sources.md, which names the Oracle
documentation each stands for.
"""

from __future__ import annotations

RECORD = "\x1e"
FIELD = "\x1f"

_SPLITTERS = """
  FUNCTION next_record(p_stream IN VARCHAR2, p_pos IN OUT PLS_INTEGER) RETURN VARCHAR2 IS
    l_end PLS_INTEGER;
    l_record VARCHAR2(32767);
  BEGIN
    l_end := INSTR(p_stream, CHR(30), p_pos);
    IF l_end = 0 THEN
      l_end := LENGTH(p_stream) + 1;
    END IF;
    l_record := SUBSTR(p_stream, p_pos, l_end - p_pos);
    p_pos := l_end + 1;
    RETURN l_record;
  END;

  FUNCTION field(p_record IN VARCHAR2, p_number IN PLS_INTEGER) RETURN VARCHAR2 IS
    l_start PLS_INTEGER := 1;
    l_end PLS_INTEGER;
  BEGIN
    FOR i IN 1 .. p_number - 1 LOOP
      l_start := INSTR(p_record, CHR(31), l_start) + 1;
    END LOOP;
    l_end := INSTR(p_record, CHR(31), l_start);
    IF l_end = 0 THEN
      l_end := LENGTH(p_record) + 1;
    END IF;
    RETURN SUBSTR(p_record, l_start, l_end - l_start);
  END;
"""

# Define, start and detach a job in one round trip (§2, §11.1). On any failure the
# half-defined job is removed (STOP_JOB on a DEFINING job detaches it, and a DEFINING job
# with no client is gone, §2.12-§2.13) and ORA-20101 is raised on top of the original error
# stack, carrying Data Pump's own error lines from GET_STATUS (§2.15).
SUBMIT = f"""
DECLARE
  h        NUMBER;
  l_pos    PLS_INTEGER;
  l_record VARCHAR2(32767);
  l_lines  VARCHAR2(32767);
  l_scn    NUMBER;
  l_state  VARCHAR2(30);
  l_status ku$_Status;
{_SPLITTERS}
  PROCEDURE collect_errors(p_handle IN NUMBER) IS
  BEGIN
    DBMS_DATAPUMP.GET_STATUS(p_handle, DBMS_DATAPUMP.KU$_STATUS_JOB_ERROR, 0, l_state, l_status);
    IF l_status IS NOT NULL AND l_status.error IS NOT NULL THEN
      FOR i IN 1 .. l_status.error.COUNT LOOP
        l_lines := SUBSTR(l_lines || l_status.error(i).logtext || CHR(10), 1, 1800);
      END LOOP;
    END IF;
  EXCEPTION
    WHEN OTHERS THEN
      NULL;
  END;
BEGIN
  h := DBMS_DATAPUMP.OPEN(operation => :operation, job_mode => :job_mode, remote_link => :remote_link,
                          job_name => :job_name, version => :version);
  l_pos := 1;
  WHILE l_pos <= NVL(LENGTH(:files), 0) LOOP
    l_record := next_record(:files, l_pos);
    DBMS_DATAPUMP.ADD_FILE(handle => h, filename => field(l_record, 1), directory => field(l_record, 2),
                           filesize => field(l_record, 3), filetype => TO_NUMBER(field(l_record, 4)),
                           reusefile => TO_NUMBER(field(l_record, 5)));
  END LOOP;
  l_pos := 1;
  WHILE l_pos <= NVL(LENGTH(:metadata_filters), 0) LOOP
    l_record := next_record(:metadata_filters, l_pos);
    DBMS_DATAPUMP.METADATA_FILTER(handle => h, name => field(l_record, 1), value => field(l_record, 2),
                                  object_path => field(l_record, 3));
  END LOOP;
  l_pos := 1;
  WHILE l_pos <= NVL(LENGTH(:number_data_filters), 0) LOOP
    l_record := next_record(:number_data_filters, l_pos);
    DBMS_DATAPUMP.DATA_FILTER(handle => h, name => field(l_record, 1),
                              value => TO_NUMBER(field(l_record, 2)), table_name => field(l_record, 3),
                              schema_name => field(l_record, 4));
  END LOOP;
  l_pos := 1;
  WHILE l_pos <= NVL(LENGTH(:text_data_filters), 0) LOOP
    l_record := next_record(:text_data_filters, l_pos);
    DBMS_DATAPUMP.DATA_FILTER(handle => h, name => field(l_record, 1), value => field(l_record, 2),
                              table_name => field(l_record, 3), schema_name => field(l_record, 4));
  END LOOP;
  l_pos := 1;
  WHILE l_pos <= NVL(LENGTH(:remaps), 0) LOOP
    l_record := next_record(:remaps, l_pos);
    DBMS_DATAPUMP.METADATA_REMAP(handle => h, name => field(l_record, 1), old_value => field(l_record, 2),
                                 value => field(l_record, 3), object_type => field(l_record, 4));
  END LOOP;
  l_pos := 1;
  WHILE l_pos <= NVL(LENGTH(:data_remaps), 0) LOOP
    -- Positional, so the call does not depend on the formals' names (the reference, §2.8,
    -- is less sure of them than of their order).
    l_record := next_record(:data_remaps, l_pos);
    DBMS_DATAPUMP.DATA_REMAP(h, field(l_record, 1), field(l_record, 2), field(l_record, 3),
                             field(l_record, 4), field(l_record, 5));
  END LOOP;
  l_pos := 1;
  WHILE l_pos <= NVL(LENGTH(:number_transforms), 0) LOOP
    l_record := next_record(:number_transforms, l_pos);
    DBMS_DATAPUMP.METADATA_TRANSFORM(handle => h, name => field(l_record, 1),
                                     value => TO_NUMBER(field(l_record, 2)),
                                     object_type => field(l_record, 3));
  END LOOP;
  l_pos := 1;
  WHILE l_pos <= NVL(LENGTH(:text_transforms), 0) LOOP
    l_record := next_record(:text_transforms, l_pos);
    DBMS_DATAPUMP.METADATA_TRANSFORM(handle => h, name => field(l_record, 1), value => field(l_record, 2),
                                     object_type => field(l_record, 3));
  END LOOP;
  l_pos := 1;
  WHILE l_pos <= NVL(LENGTH(:number_parameters), 0) LOOP
    l_record := next_record(:number_parameters, l_pos);
    DBMS_DATAPUMP.SET_PARAMETER(handle => h, name => field(l_record, 1),
                                value => TO_NUMBER(field(l_record, 2)));
  END LOOP;
  l_pos := 1;
  WHILE l_pos <= NVL(LENGTH(:text_parameters), 0) LOOP
    l_record := next_record(:text_parameters, l_pos);
    DBMS_DATAPUMP.SET_PARAMETER(handle => h, name => field(l_record, 1), value => field(l_record, 2));
  END LOOP;
  IF :consistent = 1 THEN
    -- Consistent as of now unless the spec says otherwise; V$DATABASE needs the catalog role,
    -- so without it the job is made consistent as of its start instead.
    BEGIN
      EXECUTE IMMEDIATE 'SELECT current_scn FROM v$database' INTO l_scn;
      DBMS_DATAPUMP.SET_PARAMETER(handle => h, name => 'FLASHBACK_SCN', value => l_scn);
      :flashback_scn := l_scn;
    EXCEPTION
      WHEN OTHERS THEN
        DBMS_DATAPUMP.SET_PARAMETER(handle => h, name => 'FLASHBACK_TIME', value => 'SYSTIMESTAMP');
    END;
  END IF;
  DBMS_DATAPUMP.SET_PARALLEL(handle => h, degree => :parallel);
  -- The run stamp goes in while the job is still DEFINING: if it cannot be written, nothing
  -- has started (a tiny job could otherwise finish, unstamped, before it; core/stamp.py).
  IF :log_entry IS NOT NULL THEN
    DBMS_DATAPUMP.LOG_ENTRY(handle => h, message => :log_entry, log_file_only => 1);
  END IF;
  BEGIN
    DBMS_DATAPUMP.START_JOB(handle => h);
  EXCEPTION
    WHEN DBMS_DATAPUMP.SUCCESS_WITH_INFO THEN
      NULL;  -- ORA-31627: the job did start (§2.11)
  END;
  :owner := USER;
  DBMS_DATAPUMP.DETACH(handle => h);
EXCEPTION
  WHEN OTHERS THEN
    collect_errors(h);
    IF h IS NOT NULL THEN
      BEGIN
        DBMS_DATAPUMP.STOP_JOB(handle => h, immediate => 1, keep_master => 0);
      EXCEPTION
        WHEN OTHERS THEN
          BEGIN
            DBMS_DATAPUMP.DETACH(handle => h);
          EXCEPTION
            WHEN OTHERS THEN
              NULL;
          END;
      END;
    END IF;
    RAISE_APPLICATION_ERROR(-20101, 'Data Pump job submission failed' || CHR(10) || l_lines, TRUE);
END;"""

SUBMIT_ERROR = 20101

# After an unexpected error, a block that attached lets its handle go before re-raising: a
# handle left attached would stay with the (pooled) session.
_LET_GO = """IF h IS NOT NULL THEN
      BEGIN
        DBMS_DATAPUMP.DETACH(h);
      EXCEPTION
        WHEN OTHERS THEN
          NULL;
      END;
    END IF;
    RAISE;"""

# The state from the dictionary (no side effects), then, only for a live job, a short attach
# for progress (§11.2; attaching to a NOT RUNNING job would restart its master, §2.3), then
# the log since a byte offset read as a CLOB from a BFILE (§7.2, §11.5): one round trip.
STATUS = f"""
DECLARE
  h         NUMBER;
  l_state   VARCHAR2(30);
  l_js      VARCHAR2(30);
  l_status  ku$_Status;
  l_file    BFILE;
  l_clob    CLOB;
  l_length  INTEGER;
  l_dest    INTEGER := 1;
  l_src     INTEGER;
  l_context INTEGER := DBMS_LOB.DEFAULT_LANG_CTX;
  l_warning INTEGER;
BEGIN
  BEGIN
    IF :owner = USER THEN
      SELECT state, degree, attached_sessions INTO l_state, :degree, :attached
        FROM user_datapump_jobs WHERE job_name = :job_name;
    ELSE
      EXECUTE IMMEDIATE 'SELECT state, degree, attached_sessions FROM dba_datapump_jobs '
                        || 'WHERE owner_name = :1 AND job_name = :2'
        INTO l_state, :degree, :attached USING :owner, :job_name;
    END IF;
  EXCEPTION
    WHEN NO_DATA_FOUND THEN
      l_state := 'UNDEFINED';
  END;
  IF l_state IN ('EXECUTING', 'STOP PENDING', 'STOPPING', 'COMPLETING', 'IDLING') THEN
    BEGIN
      h := DBMS_DATAPUMP.ATTACH(job_name => :job_name, job_owner => :owner);
      DBMS_DATAPUMP.GET_STATUS(h, DBMS_DATAPUMP.KU$_STATUS_JOB_STATUS, 0, l_js, l_status);
      l_state := l_js;
      IF l_status.job_status IS NOT NULL THEN
        :phase := l_status.job_status.phase;
        :percent_done := l_status.job_status.percent_done;
        :bytes_processed := l_status.job_status.bytes_processed;
        :total_bytes := l_status.job_status.total_bytes;
        :degree := l_status.job_status.degree;
        :error_count := l_status.job_status.error_count;
        IF l_status.job_status.worker_status_list IS NOT NULL
           AND l_status.job_status.worker_status_list.COUNT > 0 THEN
          :worker_state := l_status.job_status.worker_status_list(1).state;
          :worker_schema := l_status.job_status.worker_status_list(1).schema;
          :worker_name := l_status.job_status.worker_status_list(1).name;
          :worker_object_type := l_status.job_status.worker_status_list(1).object_type;
        END IF;
      END IF;
      DBMS_DATAPUMP.DETACH(h);
    EXCEPTION
      WHEN DBMS_DATAPUMP.NO_SUCH_JOB OR DBMS_DATAPUMP.INVALID_HANDLE THEN
        l_state := 'UNDEFINED';  -- it finished between the two looks (§2.15)
      WHEN OTHERS THEN
        -- A handle left attached would stay with this (pooled) session: let it go first.
{_LET_GO}
    END;
  END IF;
  :state := l_state;
  -- The zone of the database host's clock, in which the log's times are written.
  :utc_offset := TO_CHAR(SYSTIMESTAMP, 'TZH:TZM');
  IF :log_directory IS NOT NULL THEN
    BEGIN
      l_file := BFILENAME(:log_directory, :log_file);
      IF DBMS_LOB.FILEEXISTS(l_file) = 1 THEN
        DBMS_LOB.FILEOPEN(l_file, DBMS_LOB.FILE_READONLY);
        l_length := DBMS_LOB.GETLENGTH(l_file);
        :log_length := l_length;
        IF l_length > :log_position THEN
          DBMS_LOB.CREATETEMPORARY(l_clob, TRUE);
          l_src := :log_position + 1;
          DBMS_LOB.LOADCLOBFROMFILE(l_clob, l_file, LEAST(l_length - :log_position, :log_max_bytes),
                                    l_dest, l_src, DBMS_LOB.DEFAULT_CSID, l_context, l_warning);
          :log_text := DBMS_LOB.SUBSTR(l_clob, 32767, 1);
          DBMS_LOB.FREETEMPORARY(l_clob);
        END IF;
        DBMS_LOB.FILECLOSE(l_file);
      END IF;
    EXCEPTION
      WHEN OTHERS THEN
        :log_error := SQLERRM;
    END;
  END IF;
END;"""

# A chunk of a file from a byte offset, as a CLOB (§11.5); the caller loops until the end.
READ_FILE = """
DECLARE
  l_file    BFILE := BFILENAME(:directory, :file_name);
  l_clob    CLOB;
  l_length  INTEGER;
  l_dest    INTEGER := 1;
  l_src     INTEGER := :position + 1;
  l_context INTEGER := DBMS_LOB.DEFAULT_LANG_CTX;
  l_warning INTEGER;
BEGIN
  DBMS_LOB.FILEOPEN(l_file, DBMS_LOB.FILE_READONLY);
  l_length := DBMS_LOB.GETLENGTH(l_file);
  :file_length := l_length;
  DBMS_LOB.CREATETEMPORARY(l_clob, TRUE);
  IF l_length > :position THEN
    DBMS_LOB.LOADCLOBFROMFILE(l_clob, l_file, LEAST(l_length - :position, :max_bytes), l_dest, l_src,
                              DBMS_LOB.DEFAULT_CSID, l_context, l_warning);
  END IF;
  DBMS_LOB.FILECLOSE(l_file);
  :chunk := l_clob;
END;"""

# Attach and stop: graceful (immediate 0) or not, keeping the master table or not (§2.12).
# STOP_JOB detaches; if it fails instead, the handle is let go before the error is raised.
STOP = f"""
DECLARE
  h NUMBER;
BEGIN
  h := DBMS_DATAPUMP.ATTACH(job_name => :job_name, job_owner => :owner);
  DBMS_DATAPUMP.STOP_JOB(handle => h, immediate => :immediate, keep_master => :keep_master, delay => :delay);
EXCEPTION
  WHEN OTHERS THEN
    {_LET_GO}
END;"""

# Kill: stop now and drop the master table (§2.12, §11.3). What STOP_JOB does to a job that
# is IDLING (a stopped job this ATTACH restarted, §2.3) or COMPLETED (kept by KEEP_MASTER=1)
# is left open: §2.12 says it behaves like DETACH, §5 and §11.3 that it ends the job (see
# docs/emulator.md, STOP_IDLING). :left says the job may have outlived it, for the hook to look.
KILL = f"""
DECLARE
  h        NUMBER;
  l_state  VARCHAR2(30);
  l_status ku$_Status;
BEGIN
  h := DBMS_DATAPUMP.ATTACH(job_name => :job_name, job_owner => :owner);
  DBMS_DATAPUMP.GET_STATUS(h, DBMS_DATAPUMP.KU$_STATUS_JOB_STATUS, 0, l_state, l_status);
  DBMS_DATAPUMP.STOP_JOB(handle => h, immediate => 1, keep_master => 0, delay => 0);
  :left := 0;
  IF l_state IN ('IDLING', 'COMPLETED', 'COMPLETING') THEN
    :left := 1;
  END IF;
EXCEPTION
  WHEN OTHERS THEN
    {_LET_GO}
END;"""

# Oracle's clean-up of a job that is not running: drop its master table, the table named after
# the job in its owner's schema, past the recycle bin (§5 "Orphans"; My Oracle Support note
# 336014.1, "How To Cleanup Orphaned DataPump Jobs In DBA_DATAPUMP_JOBS"). DROP TABLE cannot
# bind a name, so the bound names become SQL text the way Oracle offers for that:
# DBMS_ASSERT.ENQUOTE_NAME with capitalize FALSE quotes each as stored (lower and mixed case
# kept) and refuses (ORA-44003) any that would not be one quoted name. calls.drop_master
# refuses a name with a double quote before the call, naming the field. A table already gone
# (ORA-00942: the job's own end dropped it meanwhile) is what the drop was for.
DROP_MASTER = """
BEGIN
  EXECUTE IMMEDIATE 'DROP TABLE ' || DBMS_ASSERT.ENQUOTE_NAME(:owner, FALSE) || '.'
    || DBMS_ASSERT.ENQUOTE_NAME(:job_name, FALSE) || ' PURGE';
EXCEPTION
  WHEN OTHERS THEN
    IF SQLCODE != -942 THEN
      RAISE;
    END IF;
END;"""

# Restart a stopped job: ATTACH puts it in IDLING, START_JOB resumes it (§2.11, §5); the
# restarting task run's mark goes into the log with it (see core/stamp.py).
RESTART = f"""
DECLARE
  h NUMBER;
BEGIN
  h := DBMS_DATAPUMP.ATTACH(job_name => :job_name, job_owner => :owner);
  IF :log_entry IS NOT NULL THEN
    DBMS_DATAPUMP.LOG_ENTRY(handle => h, message => :log_entry, log_file_only => 1);
  END IF;
  DBMS_DATAPUMP.START_JOB(handle => h, skip_current => :skip_current);
  DBMS_DATAPUMP.DETACH(handle => h);
EXCEPTION
  WHEN OTHERS THEN
    {_LET_GO}
END;"""

# Write one line into a job's log (§2.16): who claims or is about to stop it (core/stamp.py).
MARK = f"""
DECLARE
  h NUMBER;
BEGIN
  h := DBMS_DATAPUMP.ATTACH(job_name => :job_name, job_owner => :owner);
  DBMS_DATAPUMP.LOG_ENTRY(handle => h, message => :message, log_file_only => 1);
  DBMS_DATAPUMP.DETACH(handle => h);
EXCEPTION
  WHEN OTHERS THEN
    {_LET_GO}
END;"""

CURRENT_USER = "SELECT USER FROM dual"

# The tablespaces an import's REMAP_TABLESPACE may name, read before it is submitted. DBA_
# TABLESPACES needs SELECT_CATALOG_ROLE, which DATAPUMP_IMP_FULL_DATABASE holds; USER_
# TABLESPACES is no substitute: it lists only those the session's user has a quota on, and the
# quota that matters is the tables' owner's.
PERMANENT_TABLESPACES = (
    "SELECT tablespace_name FROM dba_tablespaces WHERE contents = :contents ORDER BY tablespace_name"
)

# Every job with when its master table was created: the master table is an ordinary table
# named after the job in its owner's schema (§1), so DBA_OBJECTS.CREATED is when the job was
# defined; DBA_DATAPUMP_JOBS itself has no start time.
LIST_ALL_JOBS = (
    "SELECT j.owner_name, j.job_name, j.operation, j.job_mode, j.state, j.degree, "
    "j.attached_sessions, j.datapump_sessions, "
    "(SELECT MIN(o.created) FROM dba_objects o "
    "WHERE o.owner = j.owner_name AND o.object_name = j.job_name AND o.object_type = 'TABLE') "
    "FROM dba_datapump_jobs j ORDER BY j.owner_name, j.job_name"
)
LIST_OWN_JOBS = (
    "SELECT USER, j.job_name, j.operation, j.job_mode, j.state, j.degree, "
    "j.attached_sessions, j.datapump_sessions, "
    "(SELECT MIN(o.created) FROM user_objects o "
    "WHERE o.object_name = j.job_name AND o.object_type = 'TABLE') "
    "FROM user_datapump_jobs j ORDER BY j.job_name"
)

# Clean-up candidates (see core/cleanup.py): NOT RUNNING jobs with their master table's last
# DDL and creation times, their last progress report, and the database's clock.
CLEANUP_CANDIDATES_ALL = (
    "SELECT j.owner_name, j.job_name, j.operation, j.job_mode, j.state, j.degree, "
    "j.attached_sessions, j.datapump_sessions, "
    "(SELECT MAX(o.last_ddl_time) FROM dba_objects o "
    "WHERE o.owner = j.owner_name AND o.object_name = j.job_name AND o.object_type = 'TABLE'), "
    "(SELECT MAX(o.created) FROM dba_objects o "
    "WHERE o.owner = j.owner_name AND o.object_name = j.job_name AND o.object_type = 'TABLE'), "
    "(SELECT MAX(l.last_update_time) FROM v$session_longops l "
    "WHERE l.username = j.owner_name AND l.opname = j.job_name), "
    "SYSDATE FROM dba_datapump_jobs j WHERE j.state = 'NOT RUNNING' ORDER BY j.owner_name, j.job_name"
)
# Without the catalog views, activity cannot be read: the jobs are listed so they can be
# reported as skipped.
CLEANUP_CANDIDATES_OWN = (
    "SELECT USER, job_name, operation, job_mode, state, degree, attached_sessions, datapump_sessions, "
    "NULL, NULL, NULL, SYSDATE FROM user_datapump_jobs WHERE state = 'NOT RUNNING' ORDER BY job_name"
)

# GET_DUMPFILE_INFO flattened to "code=value" lines (§11.7).
DUMPFILE_INFO = """
DECLARE
  l_info  ku$_dumpfile_info;
  l_type  NUMBER;
  l_lines VARCHAR2(32767);
BEGIN
  DBMS_DATAPUMP.GET_DUMPFILE_INFO(:file_name, :directory, l_info, l_type);
  :file_type := l_type;
  IF l_info IS NOT NULL THEN
    FOR i IN 1 .. l_info.COUNT LOOP
      l_lines := l_lines || l_info(i).item_code || '=' || l_info(i).value || CHR(10);
    END LOOP;
  END IF;
  :items := l_lines;
END;"""

# UTL_FILE.FGETATTR's BOOLEAN made a number in PL/SQL, as thin mode cannot bind it (§11.6).
FILE_ATTRIBUTES = """
DECLARE
  l_exists BOOLEAN;
  l_length NUMBER;
  l_block  BINARY_INTEGER;
BEGIN
  UTL_FILE.FGETATTR(:directory, :file_name, l_exists, l_length, l_block);
  :file_exists := CASE WHEN l_exists THEN 1 ELSE 0 END;
  :file_length := l_length;
END;"""

DELETE_FILE = "BEGIN UTL_FILE.FREMOVE(:directory, :file_name); END;"

# DBMS_FILE_TRANSFER between databases over a link (§7.5).
GET_FILE = """
BEGIN
  DBMS_FILE_TRANSFER.GET_FILE(source_directory_object => :source_directory, source_file_name => :source_file,
                              source_database => :database_link,
                              destination_directory_object => :destination_directory,
                              destination_file_name => :destination_file);
END;"""
PUT_FILE = """
BEGIN
  DBMS_FILE_TRANSFER.PUT_FILE(source_directory_object => :source_directory, source_file_name => :source_file,
                              destination_directory_object => :destination_directory,
                              destination_file_name => :destination_file,
                              destination_database => :database_link);
END;"""

# Streaming a file between a directory and the worker (hooks/transfer.py). Reading: up to
# :max_bytes from a byte offset, loaded from the BFILE into a temporary BLOB that the driver
# fetches in one LOB read (DBMS_LOB.READ's 32767-byte RAW limit never applies: no PL/SQL
# buffer holds the data). Writing: the chunk arrives as one BLOB bind and is put into the
# file 32767 bytes (the most UTL_FILE.PUT_RAW takes) at a time, opened 'wb' for the first
# chunk and 'ab' after it; the file's new length comes back so the caller can check it.
READ_CHUNK = """
DECLARE
  l_file   BFILE := BFILENAME(:directory, :file_name);
  l_blob   BLOB;
  l_dest   INTEGER := 1;
  l_src    INTEGER := :position + 1;
  l_length INTEGER;
BEGIN
  DBMS_LOB.FILEOPEN(l_file, DBMS_LOB.FILE_READONLY);
  l_length := DBMS_LOB.GETLENGTH(l_file);
  :file_length := l_length;
  DBMS_LOB.CREATETEMPORARY(l_blob, TRUE);
  IF l_length > :position THEN
    DBMS_LOB.LOADBLOBFROMFILE(l_blob, l_file, LEAST(l_length - :position, :max_bytes), l_dest, l_src);
  END IF;
  DBMS_LOB.FILECLOSE(l_file);
  :chunk := l_blob;
END;"""

WRITE_CHUNK = """
DECLARE
  l_file   UTL_FILE.FILE_TYPE;
  l_length INTEGER := NVL(DBMS_LOB.GETLENGTH(:chunk), 0);
  l_pos    INTEGER := 1;
  l_amount BINARY_INTEGER;
  l_buffer RAW(32767);
  l_exists BOOLEAN;
  l_size   NUMBER;
  l_block  BINARY_INTEGER;
BEGIN
  l_file := UTL_FILE.FOPEN(:directory, :file_name, CASE WHEN :position = 0 THEN 'wb' ELSE 'ab' END, 32767);
  WHILE l_pos <= l_length LOOP
    l_amount := 32767;
    DBMS_LOB.READ(:chunk, l_amount, l_pos, l_buffer);
    UTL_FILE.PUT_RAW(l_file, l_buffer, TRUE);
    l_pos := l_pos + l_amount;
  END LOOP;
  UTL_FILE.FCLOSE(l_file);
  UTL_FILE.FGETATTR(:directory, :file_name, l_exists, l_size, l_block);
  :file_length := l_size;
EXCEPTION
  WHEN OTHERS THEN
    IF UTL_FILE.IS_OPEN(l_file) THEN
      UTL_FILE.FCLOSE(l_file);
    END IF;
    RAISE;
END;"""

# A copied member gets its final name only once verified; an older file of that name is
# replaced (UTL_FILE.FRENAME with overwrite, in the same directory).
RENAME_FILE = """
BEGIN
  UTL_FILE.FRENAME(src_location => :directory, src_filename => :file_name, dest_location => :directory,
                   dest_filename => :new_name, overwrite => TRUE);
END;"""

# DBMS_CLOUD (Autonomous Database, 19c+ where installed): the database itself copies a file
# between a directory and an object (core/cloud.py). GET_METADATA answers a JSON CLOB whose
# Content-Length is the object's size; a missing object is ORA-20404.
CLOUD_PUT_OBJECT = """
BEGIN
  DBMS_CLOUD.PUT_OBJECT(credential_name => :credential_name, object_uri => :object_uri,
                        directory_name => :directory, file_name => :file_name);
END;"""
CLOUD_GET_OBJECT = """
BEGIN
  DBMS_CLOUD.GET_OBJECT(credential_name => :credential_name, object_uri => :object_uri,
                        directory_name => :directory, file_name => :file_name);
END;"""
CLOUD_METADATA = """
BEGIN
  :metadata := DBMS_CLOUD.GET_METADATA(credential_name => :credential_name, object_uri => :object_uri);
END;"""
# Every object under a folder with its size, in one query (LIST_OBJECTS is pipelined; its
# OBJECT_NAME is relative to the location).
CLOUD_LIST_OBJECTS = """SELECT object_name, bytes
  FROM TABLE(DBMS_CLOUD.LIST_OBJECTS(credential_name => :credential_name, location_uri => :location_uri))"""
CLOUD_DELETE_OBJECT = """
BEGIN
  DBMS_CLOUD.DELETE_OBJECT(credential_name => :credential_name, object_uri => :object_uri);
END;"""

# Amazon RDS for Oracle (core/rds.py): the S3 tasks return a task id at once and run in the
# background; the task's log in BDUMP says how it went. Zero objects downloaded fails the task.
RDS_UPLOAD_TO_S3 = """SELECT rdsadmin.rdsadmin_s3_tasks.upload_to_s3(p_bucket_name => :bucket_name,
  p_prefix => :prefix, p_s3_prefix => :s3_prefix, p_directory_name => :directory) FROM dual"""
RDS_DOWNLOAD_FROM_S3 = """SELECT rdsadmin.rdsadmin_s3_tasks.download_from_s3(p_bucket_name => :bucket_name,
  p_directory_name => :directory, p_s3_prefix => :s3_prefix,
  p_error_on_zero_downloads => :error_on_zero) FROM dual"""
RDS_TASK_LOG = "SELECT text FROM TABLE(rdsadmin.rds_file_util.read_text_file('BDUMP', :log_file))"
RDS_LISTDIR = "SELECT filename, type, filesize FROM TABLE(rdsadmin.rds_file_util.listdir(:directory))"

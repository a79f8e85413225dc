"""DDL as Data Pump prints it: in a SQL_FILE job's output and after "Failing sql is:"."""

from __future__ import annotations

from typing import Any


def type_sql(data: dict[str, Any]) -> str:
    name = data["name"]
    if data.get("size") and name in ("VARCHAR2", "VARCHAR", "CHAR", "NVARCHAR2", "RAW"):
        unit = "" if name == "RAW" else " BYTE"
        return f"{name}({data['size']}{unit})"
    if name == "NUMBER" and data.get("precision") is not None:
        return f"NUMBER({data['precision']},{data.get('scale') or 0})"
    return str(name)


def user_sql(name: str, ddl: dict[str, Any]) -> str:
    values = ddl.get("password") or ""
    tablespace = ddl.get("default_tablespace") or "USERS"
    return f' CREATE USER "{name}" IDENTIFIED BY VALUES \'{values}\'\n      DEFAULT TABLESPACE "{tablespace}"'


def grants_sql(user: str, ddl: dict[str, Any]) -> str:
    """A SYSTEM_GRANT, ROLE_GRANT or TABLESPACE_QUOTA object's DDL, one statement a line."""
    lines = [f'GRANT {privilege} TO "{user}"' for privilege in ddl.get("privileges", [])]
    lines += [quota_sql(user, tablespace, size) for tablespace, size in ddl.get("quotas", [])]
    return "\n".join(lines)


def quota_sql(user: str, tablespace: str, size: int) -> str:
    """The block DBMS_METADATA generates for a TABLESPACE_QUOTA object, as a log prints it
    after "Failing sql is:" (its lines joined, the line breaks dropped). On ORA-30041 the block
    checks whether the tablespace is a temporary one and then quietly returns; otherwise it
    re-raises. The text is that of SQL_FILE output of 12c-19c schema imports in public
    repositories **[P]**; the emulator never runs it, it only prints it."""
    amount = "UNLIMITED" if size < 0 else str(size)
    lines = (
        "DECLARE ",
        "  TEMP_COUNT NUMBER; ",
        "  SQLSTR VARCHAR2(200); ",
        "BEGIN ",
        f'  SQLSTR := \'ALTER USER "{user}" QUOTA {amount} ON "{tablespace}"\';',
        "  EXECUTE IMMEDIATE SQLSTR;",
        "EXCEPTION ",
        "  WHEN OTHERS THEN",
        "    IF SQLCODE = -30041 THEN ",
        "      SQLSTR := 'SELECT COUNT(*) FROM USER_TABLESPACES ",
        f"              WHERE TABLESPACE_NAME = ''{tablespace}'' AND CONTENTS = ''TEMPORARY''';",
        "      EXECUTE IMMEDIATE SQLSTR INTO TEMP_COUNT;",
        "      IF TEMP_COUNT = 1 THEN RETURN; ",
        "      ELSE RAISE; ",
        "      END IF;",
        "    ELSE",
        "      RAISE;",
        "    END IF;",
        "END;",
    )
    return "".join(lines)


def table_sql(schema: str, name: str, ddl: dict[str, Any]) -> str:
    lines = []
    for column in ddl["columns"]:
        text = f'\t"{column["name"]}" {type_sql(column["type"])}'
        if column.get("not_null_name"):
            text += f' CONSTRAINT "{column["not_null_name"]}"'
        if column.get("not_null") or column.get("not_null_disabled"):
            text += " NOT NULL DISABLE" if column.get("not_null_disabled") else " NOT NULL ENABLE"
        lines.append(text)  # keys and checks are the CONSTRAINT objects' own statements
    body = ",\n".join(lines)
    return f'CREATE TABLE "{schema}"."{name}" \n   (\t{body.lstrip()}\n   ){segment_sql(ddl)} ;'


def default_role_sql(user: str) -> str:
    return f'ALTER USER "{user}" DEFAULT ROLE ALL'


def procact_schema_sql(database: str, scn: int) -> str:
    """The block a PROCACT_SCHEMA object runs: it records the export's SCN for logical
    replication (DBMS_LOGREP_IMP, not documented; the statement as public traces show it)."""
    return (
        "BEGIN \nsys.dbms_logrep_imp.instantiate_schema("
        "schema_name=>SYS_CONTEXT('USERENV','CURRENT_SCHEMA'), "
        f"export_db_name=>'{database}', inst_scn=>'{scn}');\nCOMMIT; \nEND; \n"
    )


def _names(columns: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def index_sql(schema: str, table: str, ddl: dict[str, Any]) -> str:
    where = f'\n  TABLESPACE "{ddl["tablespace"]}"' if ddl.get("tablespace") else ""
    unique = "UNIQUE " if ddl.get("unique") else ""
    head = f'CREATE {unique}INDEX "{ddl["index_schema"]}"."{ddl["index"]}" ON "{schema}"."{table}"'
    return f"{head} ({_names(ddl['columns'])}) {where} PARALLEL 1"


def constraint_sql(schema: str, table: str, ddl: dict[str, Any]) -> str:
    """ALTER TABLE ... ADD CONSTRAINT: a key with the index created with it, or a check."""
    head = f'ALTER TABLE "{schema}"."{table}" ADD CONSTRAINT "{ddl["constraint"]}"'
    if ddl["kind"] == "CHECK":
        return f"{head} CHECK ({ddl['condition']}) {_state(ddl)}"
    using = f' TABLESPACE "{ddl["tablespace"]}"' if ddl.get("tablespace") else ""
    return f"{head} {ddl['kind']} ({_names(ddl['columns'])})\n  USING INDEX{using}  {_state(ddl)}"


def _state(ddl: dict[str, Any]) -> str:
    """The state DBMS_METADATA ends a constraint with: ENABLE, ENABLE NOVALIDATE or DISABLE."""
    if ddl.get("disabled"):
        return "DISABLE"
    return "ENABLE NOVALIDATE" if ddl.get("novalidate") else "ENABLE"


def ref_constraint_sql(schema: str, table: str, ddl: dict[str, Any]) -> str:
    parent_schema, parent, parent_columns = ddl["references"]
    head = f'ALTER TABLE "{schema}"."{table}" ADD CONSTRAINT "{ddl["constraint"]}"'
    return (
        f"{head} FOREIGN KEY ({_names(ddl['columns'])})"
        f' REFERENCES "{parent_schema}"."{parent}" ({_names(parent_columns)})'
        + (f" ON DELETE {ddl['on_delete']}" if ddl.get("on_delete") else "")
        + f" {_state(ddl)}"
    )


def segment_sql(ddl: dict[str, Any]) -> str:
    """A table's segment attributes laid out as DBMS_METADATA prints them, each part only
    while the DDL still holds it: TRANSFORM=SEGMENT_ATTRIBUTES:N removes them all,
    STORAGE:N the STORAGE clause (Utilities guide, impdp TRANSFORM)."""
    if not ddl.get("segment_creation"):  # a dump without segment attributes, or transformed
        return f' TABLESPACE "{ddl["tablespace"]}"' if ddl.get("tablespace") else ""
    text = f" SEGMENT CREATION {ddl['segment_creation']} "
    text += "\n  PCTFREE 10 PCTUSED 40 INITRANS 1 MAXTRANS 255 \n NOCOMPRESS LOGGING"
    if ddl.get("storage"):
        text += (
            f"\n  STORAGE(INITIAL {ddl['storage']['initial']} NEXT {ddl['storage']['next']}"
            " MINEXTENTS 1 MAXEXTENTS 2147483645\n  PCTINCREASE 0 FREELISTS 1 FREELIST GROUPS 1"
            "\n  BUFFER_POOL DEFAULT FLASH_CACHE DEFAULT CELL_FLASH_CACHE DEFAULT)"
        )
    if ddl.get("tablespace"):
        text += f'\n  TABLESPACE "{ddl["tablespace"]}"'
    return text


def statistics_sql(schema: str, table: str, ddl: dict[str, Any]) -> str:
    """A statistics object as a call of DBMS_STATS's documented SET_ procedures [U: Oracle's
    SQL file writes its own internal import calls here]."""
    stats = ddl["stats"]
    if "index" in ddl:
        return (
            f"BEGIN DBMS_STATS.SET_INDEX_STATS('\"{ddl['index_schema']}\"', '\"{ddl['index']}\"', "
            f"NUMROWS=>{stats['num_rows']}, NUMDIST=>{stats['distinct_keys']}); END;\n/"
        )
    return (
        f"BEGIN DBMS_STATS.SET_TABLE_STATS('\"{schema}\"', '\"{table}\"', NUMROWS=>{stats['num_rows']}, "
        f"NUMBLKS=>{stats['blocks']}, AVGRLEN=>{stats['avg_row_len']}); END;\n/"
    )


_DEPENDENT_SQL = {
    "INDEX": index_sql,
    "CONSTRAINT": constraint_sql,
    "REF_CONSTRAINT": ref_constraint_sql,
}


def script(items: list[dict[str, Any]], owner: str) -> str:
    """The SQL file a SQL_FILE job writes: the DDL it would have run (reference §2.1)."""
    out = [f"-- CONNECT {owner}", "ALTER SESSION SET EVENTS '10150 TRACE NAME CONTEXT FOREVER, LEVEL 1';"]
    current = None
    for item in items:
        if item["kind"] == "TABLE_DATA":
            continue
        if item["path"] != current:
            current = item["path"]
            out.append(f"-- new object type path: {current}")
        if item["kind"] == "USER":
            out.append(user_sql(item["name"], item["ddl"]) + ";")
        elif item["kind"] in ("SYSTEM_GRANT", "ROLE_GRANT", "TABLESPACE_QUOTA"):
            text = grants_sql(item["name"], item["ddl"])  # a quota's PL/SQL block ends itself
            out.append(text if item["kind"] == "TABLESPACE_QUOTA" else text.replace("\n", ";\n") + ";")
        elif item["kind"] == "TABLE":
            out.append(table_sql(item["schema"], item["name"], item["ddl"]))
        elif item["kind"] in _DEPENDENT_SQL:
            out.append(_DEPENDENT_SQL[item["kind"]](item["schema"], item["name"], item["ddl"]) + ";")
        elif item["kind"] in ("INDEX_STATISTICS", "TABLE_STATISTICS"):
            out.append(statistics_sql(item["schema"], item["name"], item["ddl"]))
        elif item["kind"] == "MARKER":
            continue
        elif item["kind"] == "DEFAULT_ROLE":
            out.append(default_role_sql(item["name"]) + ";")
        elif item["kind"] == "PROCACT_SCHEMA":
            out.append(f"-- CONNECT {item['name']}")
            out.append(procact_schema_sql(item["ddl"].get("database", ""), item["ddl"].get("scn", 0)) + "/")
        else:
            ddl = item["ddl"]
            out.append(
                f'GRANT {ddl["privilege"]} ON "{item["schema"]}"."{item["name"]}" TO "{ddl["grantee"]}";'
            )
    return "\n".join(out) + "\n"

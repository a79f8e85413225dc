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
        if column.get("not_null") or column.get("primary_key"):
            text += " NOT NULL ENABLE"
        lines.append(text)
    keys = [c["name"] for c in ddl["columns"] if c.get("primary_key")]
    if keys:
        lines.append(f"\t PRIMARY KEY ({', '.join(chr(34) + k + chr(34) for k in keys)}) ENABLE")
    for constraint in ddl["constraints"]:
        columns = ", ".join(f'"{c}"' for c in constraint["columns"])
        prefix = f'CONSTRAINT "{constraint["name"]}" ' if constraint.get("name") else ""
        lines.append(f"\t {prefix}{constraint['kind']} ({columns}) ENABLE")
    body = ",\n".join(lines)
    return f'CREATE TABLE "{schema}"."{name}" \n   (\t{body.lstrip()}\n   ){segment_sql(ddl)} ;'


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
        else:
            ddl = item["ddl"]
            out.append(
                f'GRANT {ddl["privilege"]} ON "{item["schema"]}"."{item["name"]}" TO "{ddl["grantee"]}";'
            )
    return "\n".join(out) + "\n"

"""Table DDL: CREATE TABLE with its column and table constraints, ALTER TABLE ... ADD / DROP
CONSTRAINT, CREATE [UNIQUE] INDEX (SQL Language Reference, CREATE TABLE, ALTER TABLE and the
constraint clause).

Constraints are written in line, after a column's type, or out of line, as items of the table;
both forms become :class:`~.ddl.TableConstraint` nodes except an unnamed in-line PRIMARY KEY or
UNIQUE, which stays a flag of its column here (CREATE TABLE makes it a constraint of its own,
with a generated name). A constraint state Oracle would act on but the
emulator does not model (DEFERRABLE, INITIALLY DEFERRED, DISABLE VALIDATE) is refused with
ORA-03001 rather than accepted and ignored.
"""

from __future__ import annotations

import dataclasses

from airflow_datapump.testing._plsql import ddl
from airflow_datapump.testing._plsql.errors import ora
from airflow_datapump.testing._plsql.nodes import Expr, Pos
from airflow_datapump.testing._plsql.parse_sql import SqlParser
from airflow_datapump.testing._plsql.tokens import ParseError
from airflow_datapump.testing._plsql.typesys import TypeArgError, scalar_type
from airflow_datapump.testing._values import DataType

_CONSTRAINT_WORDS = ("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN")


class TableDdlParser(SqlParser):
    def create_table(self, pos: Pos) -> ddl.CreateTable:
        ref = self.table_name()
        if self.accept_kw("AS"):
            return ddl.CreateTable(pos, ref.schema, ref.name, (), as_query=self.query())
        self.expect_op("(")
        columns: list[ddl.ColumnDef] = []
        constraints: list[ddl.TableConstraint] = []
        while True:
            if self.at_kw(*_CONSTRAINT_WORDS):
                constraints.append(self.table_constraint())
            else:
                column, inline = self.column_def()
                columns.append(column)
                constraints += inline
            if not self.accept_op(","):
                break
        self.expect_op(")")
        tablespace = self.ident() if self.accept_kw("TABLESPACE") else None
        return ddl.CreateTable(pos, ref.schema, ref.name, tuple(columns), tuple(constraints), tablespace)

    def column_def(self) -> tuple[ddl.ColumnDef, list[ddl.TableConstraint]]:
        """A column and the constraints written in line after its type."""
        name = self.ident()
        col_type = self.sql_type()
        default: Expr | None = self.expr() if self.accept_kw("DEFAULT") else None
        flags = {"not_null": False, "primary_key": False, "unique": False}
        not_null_name: str | None = None
        inline: list[ddl.TableConstraint] = []
        while True:
            written = len(inline)
            constraint = self.ident() if self.accept_kw("CONSTRAINT") else None
            named_not_null = False
            if self.accept_kw("NOT"):
                self.expect_kw("NULL", sql_code=905)
                flags["not_null"], not_null_name = True, constraint
                named_not_null = constraint is not None
            elif self.accept_kw("NULL"):
                flags["not_null"], not_null_name = False, None
            elif self.at_kw("PRIMARY", "UNIQUE"):
                kind = "PRIMARY KEY" if self.accept_kw("PRIMARY") else "UNIQUE"
                if kind == "PRIMARY KEY":
                    self.expect_kw("KEY", sql_code=905)
                else:
                    self.next()
                if constraint is None:  # unnamed: a flag of the column, named SYS_C... as before
                    flags["primary_key" if kind == "PRIMARY KEY" else "unique"] = True
                else:
                    inline.append(ddl.TableConstraint(constraint, kind, (name,)))
            elif self.accept_kw("CHECK"):
                inline.append(ddl.TableConstraint(constraint, "CHECK", (name,), condition=self.condition()))
            elif self.accept_kw("REFERENCES"):
                references, on_delete = self.references()
                inline.append(
                    ddl.TableConstraint(
                        constraint, "FOREIGN KEY", (name,), references=references, on_delete=on_delete
                    )
                )
            elif constraint is not None:
                raise self.error("not", "null", "primary", "unique", "check", "references", sql_code=2253)
            else:
                break
            enable, validate = self.constraint_state()
            if not enable and named_not_null:  # the constraint stays, by its name, disabled
                flags["not_null"] = False
                continue
            if not enable and len(inline) == written:
                raise ora(3001, "DISABLE of an unnamed NOT NULL or in-line key")
            if not enable:
                inline[-1] = dataclasses.replace(inline[-1], enabled=False, validated=validate)
        return ddl.ColumnDef(name, col_type, default, **flags, not_null_name=not_null_name), inline

    def table_constraint(self) -> ddl.TableConstraint:
        """An out-of-line constraint, as CREATE TABLE and ALTER TABLE ... ADD write it."""
        return self.constraint_with_state()[0]

    def constraint_with_state(self) -> tuple[ddl.TableConstraint, bool]:
        """An out-of-line constraint and whether its state asks to validate existing rows."""
        name = self.ident() if self.accept_kw("CONSTRAINT") else None
        if self.accept_kw("CHECK"):
            found = ddl.TableConstraint(name, "CHECK", (), condition=self.condition())
        elif self.accept_kw("FOREIGN"):
            self.expect_kw("KEY", sql_code=905)
            cols = self.column_list()
            self.expect_kw("REFERENCES", sql_code=905)
            references, on_delete = self.references()
            found = ddl.TableConstraint(name, "FOREIGN KEY", cols, references=references, on_delete=on_delete)
        elif self.accept_kw("PRIMARY"):
            self.expect_kw("KEY", sql_code=905)
            found = ddl.TableConstraint(name, "PRIMARY KEY", self.column_list())
        else:
            self.expect_kw("UNIQUE", sql_code=902)
            found = ddl.TableConstraint(name, "UNIQUE", self.column_list())
        enable, validate = self.constraint_state()
        if not enable:
            found = dataclasses.replace(found, enabled=False, validated=validate)
        return found, validate

    def condition(self) -> str:
        """A CHECK condition: parsed for its syntax, kept as the text written."""
        self.expect_op("(")
        start = self.i
        self.expr()
        text = self.span_text(start, self.i)
        self.expect_op(")")
        return text

    def references(self) -> tuple[tuple[str | None, str, tuple[str, ...]], str | None]:
        """``REFERENCES [schema.]table [(columns)] [ON DELETE {CASCADE | SET NULL}]``."""
        parent = self.table_name()
        parent_cols = self.column_list() if self.at_op("(") else ()
        on_delete = None
        if self.accept_kw("ON"):
            self.expect_kw("DELETE", sql_code=905)
            if self.accept_kw("CASCADE"):
                on_delete = "CASCADE"
            else:
                self.expect_kw("SET", sql_code=905)
                self.expect_kw("NULL", sql_code=905)
                on_delete = "SET NULL"
        return (parent.schema, parent.name, parent_cols), on_delete

    def constraint_state(self) -> tuple[bool, bool]:
        """The constraint's state words: whether it is enabled, and validated against the rows
        the table holds (ENABLE's default is VALIDATE, DISABLE's NOVALIDATE).

        NOT DEFERRABLE and INITIALLY IMMEDIATE are Oracle's defaults; a key's USING INDEX
        [TABLESPACE t] (Data Pump's SQL file writes it) needs nothing more here. DISABLE
        VALIDATE (a table no DML may change) is refused with ORA-03001.
        """
        enable, validate = True, None
        while True:
            if self.accept_kw("RELY", "NORELY"):
                continue
            if self.at_kw("ENABLE", "DISABLE"):
                enable = self.next().is_kw("ENABLE")
            elif self.at_kw("VALIDATE", "NOVALIDATE"):
                validate = self.next().is_kw("VALIDATE")
            elif self.accept_kw("USING"):
                self.expect_kw("INDEX", sql_code=905)
                if self.accept_kw("TABLESPACE"):
                    self.ident()
            elif self.at_kw("NOT") and self.peek().is_kw("DEFERRABLE"):
                self.i += 2
            elif self.accept_kw("INITIALLY"):
                if self.accept_kw("DEFERRED"):
                    raise ora(3001, "deferred constraints")
                self.expect_kw("IMMEDIATE", sql_code=905)
            elif self.accept_kw("DEFERRABLE"):
                raise ora(3001, "deferrable constraints")
            else:
                if not enable and validate:
                    raise ora(3001, "DISABLE VALIDATE")
                return enable, enable if validate is None else validate

    def column_list(self) -> tuple[str, ...]:
        self.expect_op("(")
        cols = [self.ident()]
        while self.accept_op(","):
            cols.append(self.ident())
        self.expect_op(")")
        return tuple(cols)

    def create_index(self, pos: Pos, unique: bool) -> ddl.CreateIndex:
        index = self.table_name()
        self.expect_kw("ON", sql_code=969)
        table = self.table_name()
        columns = self.column_list()
        tablespace = self.ident() if self.accept_kw("TABLESPACE") else None
        if self.accept_kw("PARALLEL"):  # Data Pump's SQL file ends an index with PARALLEL 1
            if self.cur.kind == "NUM":
                self.int_literal()
        else:
            self.accept_kw("NOPARALLEL")
        return ddl.CreateIndex(
            pos, index.schema, index.name, table.schema, table.name, columns, tablespace, unique
        )

    def alter_table(self, pos: Pos) -> ddl.AlterTable:
        """ALTER TABLE t ADD [CONSTRAINT n] ... | ADD (constraint) | DROP CONSTRAINT n."""
        ref = self.table_name()
        if self.accept_kw("ADD"):
            wrapped = self.accept_op("(")
            if not self.at_kw(*_CONSTRAINT_WORDS):
                raise ora(3001, "ALTER TABLE other than ADD, DROP, ENABLE, DISABLE or MODIFY CONSTRAINT")
            constraint = self.constraint_with_state()
            if wrapped:
                self.expect_op(")")
            return ddl.AlterTable(pos, ref.schema, ref.name, add=constraint[0], validate=constraint[1])
        if self.at_kw("MODIFY") and not self.peek().is_kw("CONSTRAINT", "PRIMARY", "UNIQUE"):
            return ddl.AlterTable(pos, ref.schema, ref.name, modify=self.modify_null())
        if self.at_kw("ENABLE", "DISABLE", "MODIFY"):
            return ddl.AlterTable(pos, ref.schema, ref.name, state=self.state_change())
        if self.accept_kw("DROP"):
            if self.at_kw("PRIMARY", "UNIQUE"):
                raise ora(3001, "DROP PRIMARY KEY or UNIQUE; drop the constraint by name")
            self.expect_kw("CONSTRAINT", sql_code=905)
            name = self.ident()
            cascade = self.accept_kw("CASCADE")
            return ddl.AlterTable(pos, ref.schema, ref.name, drop=name, cascade=cascade)
        raise ora(3001, "ALTER TABLE other than ADD, DROP, ENABLE, DISABLE or MODIFY CONSTRAINT")

    def modify_null(self) -> ddl.ModifyNull:
        """``MODIFY [(] column [CONSTRAINT name] [NOT] NULL [)]``; any other change of a column
        (its type, its default) is not supported (ORA-03001)."""
        self.expect_kw("MODIFY")
        wrapped = self.accept_op("(")
        column = self.ident()
        constraint = self.ident() if self.accept_kw("CONSTRAINT") else None
        not_null = self.accept_kw("NOT")
        if not self.accept_kw("NULL"):
            raise ora(3001, "ALTER TABLE ... MODIFY of a column other than [NOT] NULL")
        if constraint is not None and not not_null:
            raise self.error("not", sql_code=905)
        if wrapped:
            self.expect_op(")")
        return ddl.ModifyNull(column, not_null, constraint)

    def state_change(self) -> ddl.ConstraintState:
        """``{ENABLE | DISABLE} [VALIDATE | NOVALIDATE] target`` or ``MODIFY target state``,
        where target is ``CONSTRAINT n``, ``PRIMARY KEY`` or ``UNIQUE (columns)``, then
        ``[KEEP | DROP] INDEX`` and ``CASCADE`` in either order (ALTER TABLE, enable_disable_clause
        and modify_constraint_clause)."""
        modify = self.accept_kw("MODIFY")
        if not modify:
            enable, validate = self.constraint_state()
        name: str | None = None
        kind: str | None = None
        columns: tuple[str, ...] = ()
        if self.accept_kw("CONSTRAINT"):
            name = self.ident()
        elif self.accept_kw("PRIMARY"):
            self.expect_kw("KEY", sql_code=905)
            kind = "PRIMARY KEY"
        else:
            self.expect_kw("UNIQUE", sql_code=905)
            kind, columns = "UNIQUE", self.column_list()
        if modify:
            enable, validate = self.constraint_state()
        keep_index = cascade = False
        while True:
            if self.at_kw("KEEP", "DROP") and self.peek().is_kw("INDEX"):
                keep_index = self.next().is_kw("KEEP")
                self.next()
            elif self.accept_kw("CASCADE"):
                cascade = True
            else:
                return ddl.ConstraintState(name, kind, columns, enable, validate, keep_index, cascade)

    def sql_type(self) -> DataType:
        tok = self.cur
        name = self.any_word()
        args: list[int] = []
        char_semantics = False
        if self.accept_op("("):
            args.append(self.int_literal())
            if self.accept_op(","):
                args.append(self.int_literal())
            char_semantics = self.accept_kw("CHAR")
            self.accept_kw("BYTE")
            self.expect_op(")")
        try:
            resolved = scalar_type(name, tuple(args), char_semantics)
        except TypeArgError as exc:
            raise ParseError(self.cur, ("(",), sql_code=906) from exc
        if resolved is None or name in ("BOOLEAN", "PLS_INTEGER", "BINARY_INTEGER"):
            raise ParseError(tok, ("a datatype",), sql_code=902)
        return resolved

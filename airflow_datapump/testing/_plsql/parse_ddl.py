"""DDL and DCL: parsed into :mod:`.ddl` nodes for the Runtime to execute."""

from __future__ import annotations

from airflow_datapump.testing._plsql import ddl
from airflow_datapump.testing._plsql.nodes import Pos
from airflow_datapump.testing._plsql.parse_tables import TableDdlParser
from airflow_datapump.testing._plsql.tokens import ParseError

_UNITS = {"K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


class DdlParser(TableDdlParser):
    def ddl_statement(self) -> ddl.DdlStatement:
        pos = self.pos
        word = str(self.next().value)
        if word == "CREATE":
            return self.create(pos)
        if word == "ALTER":
            return self.alter(pos)
        if word == "DROP":
            return self.drop(pos)
        return self.grant_or_revoke(pos, word == "GRANT")

    def raw_word(self) -> str:
        """A password or similar: quoted or not, the case is kept as typed."""
        tok = self.cur
        if tok.kind not in ("ID", "QID"):
            raise self.error("an identifier", sql_code=988)
        self.next()
        return str(tok.value) if tok.kind == "QID" else self.text[tok.start : tok.end]

    def size(self) -> int:
        value = self.int_literal()
        if self.cur.kind == "ID" and str(self.cur.value) in _UNITS:
            value *= _UNITS[str(self.next().value)]
        return value

    def create(self, pos: Pos) -> ddl.DdlStatement:
        or_replace = False
        if self.accept_kw("OR"):
            self.expect_kw("REPLACE", sql_code=922)
            or_replace = True
        public = self.accept_kw("PUBLIC")
        if self.at_kw("PACKAGE"):
            return self.create_package(pos, or_replace)
        if self.accept_kw("USER"):
            name = self.ident()
            self.expect_kw("IDENTIFIED", sql_code=924)
            self.expect_kw("BY", sql_code=924)
            password = self.raw_word()
            opts = self.user_options()
            return ddl.CreateUser(pos, name, password, **opts)  # type: ignore[arg-type]
        if self.accept_kw("ROLE"):
            return ddl.CreateRole(pos, self.ident())
        if self.accept_kw("DIRECTORY"):
            name = self.ident()
            self.expect_kw("AS", sql_code=905)
            return ddl.CreateDirectory(pos, name, self.string_literal(), or_replace)
        if self.accept_kw("TABLE"):
            return self.create_table(pos)
        if self.accept_kw("INDEX"):
            return self.create_index(pos, unique=False)
        if self.accept_kw("UNIQUE"):
            self.expect_kw("INDEX", sql_code=901)
            return self.create_index(pos, unique=True)
        if self.accept_kw("DATABASE"):
            self.expect_kw("LINK", sql_code=901)
            return self.create_link(pos, public)
        bigfile = self.at_kw("BIGFILE")
        self.accept_kw("BIGFILE", "SMALLFILE")
        contents = "PERMANENT"
        if self.at_kw("TEMPORARY", "UNDO"):
            contents = str(self.next().value)
        if self.accept_kw("TABLESPACE"):
            return self.create_tablespace(pos, contents, bigfile)
        raise self.error("user", "role", "table", "directory", sql_code=901)

    def create_package(self, pos: Pos, or_replace: bool) -> ddl.CreatePackage:
        """The package's text is kept as written: the backend compiles it (a body) when called."""
        self.expect_kw("PACKAGE")
        body = self.accept_kw("BODY")
        first = self.ident()
        schema, name = (first, self.ident()) if self.accept_op(".") else (None, first)
        if not self.accept_kw("IS"):
            self.expect_kw("AS", sql_code=905)
        start = self.i
        end = len(self.toks) - 1  # EOF
        if end > start and self.toks[end - 1].is_op(";"):
            end -= 1
        if end > start and self.toks[end - 1].kind == "ID" and not self.toks[end - 1].is_kw("END"):
            end -= 1
        if end <= start or not self.toks[end - 1].is_kw("END"):
            raise self.error("end", sql_code=6550)
        tokens = self.toks[start : end - 1]
        declared = tuple(
            str(tokens[k + 1].value)
            for k in range(len(tokens) - 1)
            if tokens[k].is_kw("FUNCTION", "PROCEDURE") and tokens[k + 1].kind == "ID"
        )
        source = self.text[tokens[0].start : tokens[-1].end] if tokens else ""
        self.i = len(self.toks) - 1
        return ddl.CreatePackage(pos, schema, name, body, source, declared, or_replace)

    def create_tablespace(self, pos: Pos, contents: str, bigfile: bool) -> ddl.CreateTablespace:
        """The tablespace clauses of the SQL Language Reference that the emulator models;
        any other clause is refused (ORA-02180) rather than silently ignored."""
        name = self.ident()
        files: list[ddl.FileSpec] = []
        if self.accept_kw("TEMPFILE" if contents == "TEMPORARY" else "DATAFILE"):
            files.append(self.file_spec())
            while self.accept_op(","):
                files.append(self.file_spec())
        while self.cur.kind == "ID":
            if self.accept_kw("LOGGING", "NOLOGGING", "ONLINE"):
                continue
            if self.accept_kw("EXTENT"):
                self.expect_kw("MANAGEMENT", sql_code=2180)
                self.expect_kw("LOCAL", sql_code=2180)
                if self.accept_kw("UNIFORM"):
                    if self.accept_kw("SIZE"):
                        self.size()
                else:
                    self.accept_kw("AUTOALLOCATE")
                continue
            if self.accept_kw("SEGMENT"):
                self.expect_kw("SPACE", sql_code=2180)
                self.expect_kw("MANAGEMENT", sql_code=2180)
                if not self.accept_kw("AUTO", "MANUAL"):
                    raise self.error("auto", "manual", sql_code=2180)
                continue
            raise self.error("datafile", "logging", "extent", "segment", sql_code=2180)
        return ddl.CreateTablespace(pos, name, tuple(files), contents, bigfile)

    def file_spec(self) -> ddl.FileSpec:
        name = self.string_literal() if self.cur.kind == "STR" else None
        size = self.size() if self.accept_kw("SIZE") else None
        reuse = self.accept_kw("REUSE")
        autoextend = nxt = maxsize = None
        if self.accept_kw("AUTOEXTEND"):
            if self.accept_kw("OFF"):
                autoextend = False
            else:
                self.expect_kw("ON", sql_code=2180)
                autoextend = True
                nxt = self.size() if self.accept_kw("NEXT") else None
                if self.accept_kw("MAXSIZE"):
                    maxsize = None if self.accept_kw("UNLIMITED") else self.size()
        return ddl.FileSpec(name, size, reuse, bool(autoextend), nxt, maxsize)

    def user_options(self) -> dict[str, object]:
        opts: dict[str, object] = {}
        quotas: list[ddl.Quota] = []
        while self.cur.kind == "ID":
            if self.accept_kw("DEFAULT", "TEMPORARY"):
                key = self.toks[self.i - 1].value
                self.expect_kw("TABLESPACE", sql_code=922)
                opts[f"{str(key).lower()}_tablespace"] = self.ident()
            elif self.accept_kw("QUOTA"):
                size = None if self.accept_kw("UNLIMITED") else self.size()
                self.expect_kw("ON", sql_code=922)
                quotas.append(ddl.Quota(size, self.ident()))
            elif self.accept_kw("ACCOUNT"):
                if not self.at_kw("LOCK", "UNLOCK"):
                    raise self.error("lock", "unlock", sql_code=922)
                opts["account"] = str(self.next().value)
            elif self.at_kw("IDENTIFIED") and self.peek().is_kw("BY"):
                self.i += 2
                opts["password"] = self.raw_word()
            else:
                raise self.error("default", "temporary", "quota", sql_code=922)
        opts["quotas"] = tuple(quotas)
        return opts

    def create_link(self, pos: Pos, public: bool) -> ddl.CreateDatabaseLink:
        parts = [self.any_word()]
        while self.accept_op("."):
            parts.append(self.any_word())
        self.expect_kw("CONNECT", sql_code=905)
        self.expect_kw("TO", sql_code=905)
        user = self.ident()
        self.expect_kw("IDENTIFIED", sql_code=905)
        self.expect_kw("BY", sql_code=905)
        password = self.raw_word()
        self.expect_kw("USING", sql_code=905)
        return ddl.CreateDatabaseLink(pos, ".".join(parts), user, password, self.string_literal(), public)

    def alter(self, pos: Pos) -> ddl.DdlStatement:
        if self.accept_kw("USER"):
            name = self.ident()
            opts = self.user_options()
            return ddl.AlterUser(pos, name, **opts)  # type: ignore[arg-type]
        if self.accept_kw("TABLE"):
            return self.alter_table(pos)
        if self.accept_kw("SESSION"):
            self.expect_kw("SET", sql_code=922)
            param = self.any_word()
            self.expect_op("=", sql_code=922)
            tok = self.next()
            if tok.kind not in ("ID", "QID", "STR", "NUM"):
                raise ParseError(tok, ("a value",), sql_code=922)
            return ddl.AlterSession(pos, param, str(tok.value))
        raise self.error("user", "session", sql_code=940)

    def drop(self, pos: Pos) -> ddl.DdlStatement:
        public = self.accept_kw("PUBLIC")
        if self.accept_kw("USER"):
            return ddl.DropUser(pos, self.ident(), self.accept_kw("CASCADE"))
        if self.accept_kw("ROLE"):
            return ddl.DropRole(pos, self.ident())
        if self.accept_kw("DIRECTORY"):
            return ddl.DropDirectory(pos, self.ident())
        if self.accept_kw("TABLE"):
            ref = self.table_name()
            cascade = self.accept_kw("CASCADE")
            if cascade:
                self.expect_kw("CONSTRAINTS", sql_code=933)
            return ddl.DropTable(pos, ref.schema, ref.name, cascade, self.accept_kw("PURGE"))
        if self.accept_kw("INDEX"):
            ref = self.table_name()
            return ddl.DropIndex(pos, ref.schema, ref.name)
        if self.accept_kw("TABLESPACE"):
            name = self.ident()
            including = self.accept_kw("INCLUDING")
            if including:
                self.expect_kw("CONTENTS", sql_code=905)
                if self.accept_kw("AND", "KEEP"):
                    self.expect_kw("DATAFILES", sql_code=905)
                if self.accept_kw("CASCADE"):
                    self.expect_kw("CONSTRAINTS", sql_code=905)
            return ddl.DropTablespace(pos, name, including)
        if self.accept_kw("DATABASE"):
            self.expect_kw("LINK", sql_code=950)
            parts = [self.any_word()]
            while self.accept_op("."):
                parts.append(self.any_word())
            return ddl.DropDatabaseLink(pos, ".".join(parts), public)
        raise self.error("user", "table", "directory", sql_code=950)

    def grant_or_revoke(self, pos: Pos, grant: bool) -> ddl.Grant | ddl.Revoke:
        privileges = [self.privilege()]
        while self.accept_op(","):
            privileges.append(self.privilege())
        on = None
        on_directory = False
        if self.accept_kw("ON"):
            on_directory = self.accept_kw("DIRECTORY")
            ref = self.table_name()
            on = ddl.ObjectName(ref.schema, ref.name)
        self.expect_kw("TO" if grant else "FROM", sql_code=905)
        grantees = [self.any_word()]
        while self.accept_op(","):
            grantees.append(self.any_word())
        if not grant:
            return ddl.Revoke(pos, tuple(privileges), tuple(grantees), on, on_directory)
        admin = grant_opt = False
        if self.accept_kw("WITH"):
            admin = self.accept_kw("ADMIN")
            grant_opt = not admin and self.accept_kw("GRANT")
            if not (admin or grant_opt):
                raise self.error("admin", "grant", sql_code=905)
            self.expect_kw("OPTION", sql_code=905)
        return ddl.Grant(pos, tuple(privileges), tuple(grantees), on, on_directory, admin, grant_opt)

    def privilege(self) -> str:
        words = [self.any_word()]
        while self.cur.kind == "ID" and not self.at_kw("ON", "TO", "FROM"):
            words.append(self.any_word())
        return " ".join(words)

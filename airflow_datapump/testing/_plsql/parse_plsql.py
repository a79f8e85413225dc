"""PL/SQL blocks: declarations, statements and exception handlers."""

from __future__ import annotations

from airflow_datapump.testing._plsql import declnodes as dn
from airflow_datapump.testing._plsql import nodes as n
from airflow_datapump.testing._plsql.parse_ddl import DdlParser
from airflow_datapump.testing._plsql.tokens import ParseError

_UNSUPPORTED_STMTS = ("GOTO", "MERGE", "FETCH", "CLOSE", "FORALL", "LOCK")
_BLOCK_END = ("END", "EXCEPTION", "ELSE", "ELSIF", "WHEN")


class PlsqlParser(DdlParser):
    in_plsql = True

    def block(self, label: str | None = None) -> n.Block:
        pos = self.pos
        decls: tuple[dn.Decl, ...] = ()
        if self.accept_kw("DECLARE"):
            decls = self.declarations()
        return self.block_body(pos, label, decls)

    def block_body(self, pos: n.Pos, label: str | None, decls: tuple[dn.Decl, ...]) -> n.Block:
        self.expect_kw("BEGIN")
        body = self.statements()
        handlers: list[n.Handler] = []
        if self.accept_kw("EXCEPTION"):
            while self.at_kw("WHEN"):
                handlers.append(self.handler())
            if not handlers:
                raise self.error("when")
        self.expect_kw("END")
        if self.at_ident():
            self.next()
        self.expect_op(";")
        return n.Block(pos, label, decls, body, tuple(handlers))

    def handler(self) -> n.Handler:
        pos = self.pos
        self.expect_kw("WHEN")
        names: list[n.Expr] = []
        if not self.accept_kw("OTHERS"):
            names.append(self.dotted_name())
            while self.accept_kw("OR"):
                names.append(self.dotted_name())
        self.expect_kw("THEN")
        return n.Handler(pos, tuple(names), self.statements())

    def dotted_name(self) -> n.Expr:
        expr: n.Expr = n.Name(self.pos, self.ident())
        while self.at_op("."):
            pos = self.pos
            self.next()
            expr = n.Attr(pos, expr, self.any_word())
        return expr

    # --- declarations ------------------------------------------------------------------

    def declarations(self) -> tuple[dn.Decl, ...]:
        decls: list[dn.Decl] = []
        while not self.at_kw("BEGIN"):
            decls.append(self.declaration())
        return tuple(decls)

    def declaration(self) -> dn.Decl:
        pos = self.pos
        if self.at_kw("PROCEDURE", "FUNCTION"):
            return self.subprogram()
        if self.accept_kw("PRAGMA"):
            self.expect_kw("EXCEPTION_INIT")
            self.expect_op("(")
            name = self.ident()
            self.expect_op(",")
            negative = self.accept_op("-")
            code = self.int_literal()
            self.expect_op(")")
            self.expect_op(";")
            return dn.PragmaExceptionInit(pos, name, -code if negative else code)
        if self.accept_kw("TYPE"):
            return self.type_decl(pos)
        if self.at_kw("CURSOR", "SUBTYPE"):
            return dn.UnsupportedDecl(pos, self.skip_statement())
        name = self.ident()
        if self.accept_kw("EXCEPTION"):
            self.expect_op(";")
            return dn.ExceptionDecl(pos, name)
        decl = self.var_decl(pos, name)
        self.expect_op(";")
        return decl

    def var_decl(self, pos: n.Pos, name: str) -> dn.VarDecl:
        constant = self.accept_kw("CONSTANT")
        type_ref = self.type_ref()
        not_null = False
        if self.accept_kw("NOT"):
            self.expect_kw("NULL")
            not_null = True
        init = None
        if self.accept_op(":=") or self.accept_kw("DEFAULT"):
            init = self.expr()
        elif constant:
            raise self.error(":=")
        return dn.VarDecl(pos, name, type_ref, constant, not_null, init)

    def type_ref(self) -> dn.TypeRef:
        pos = self.pos
        parts = [self.any_word()]
        while self.accept_op("."):
            parts.append(self.any_word())
        args: list[int] = []
        char_semantics = star = False
        if self.accept_op("("):
            if self.accept_op("*"):
                star = True
                args.append(38)
            else:
                args.append(self.int_literal())
            if self.accept_op(","):
                args.append(self.int_literal())
            char_semantics = self.accept_kw("CHAR")
            self.accept_kw("BYTE")
            self.expect_op(")")
        attribute = None
        if self.accept_op("%"):
            if not self.at_kw("TYPE", "ROWTYPE"):
                raise self.error("type", "rowtype")
            attribute = str(self.next().value)
        return dn.TypeRef(pos, tuple(parts), tuple(args), char_semantics, attribute, star)

    def type_decl(self, pos: n.Pos) -> dn.Decl:
        name = self.ident()
        self.expect_kw("IS")
        if self.accept_kw("RECORD"):
            self.expect_op("(")
            fields = [self.var_decl(self.pos, self.ident())]
            while self.accept_op(","):
                fields.append(self.var_decl(self.pos, self.ident()))
            self.expect_op(")")
            self.expect_op(";")
            return dn.RecordTypeDecl(pos, name, tuple(fields))
        limit = None
        if self.accept_kw("VARRAY", "VARYING"):
            if self.toks[self.i - 1].is_kw("VARYING"):
                self.expect_kw("ARRAY")
            self.expect_op("(")
            limit = self.int_literal()
            self.expect_op(")")
        elif not self.accept_kw("TABLE"):
            return dn.UnsupportedDecl(pos, self.skip_statement())
        self.expect_kw("OF")
        element = self.type_ref()
        if self.accept_kw("NOT"):
            self.expect_kw("NULL")
        index_by = None
        if limit is None and self.accept_kw("INDEX"):
            self.expect_kw("BY")
            index_by = self.type_ref()
        self.expect_op(";")
        return dn.CollectionTypeDecl(pos, name, element, limit, index_by)

    def subprogram(self) -> dn.SubprogramDecl:
        pos = self.pos
        is_function = self.next().is_kw("FUNCTION")
        name = self.ident()
        params: list[dn.ParamDecl] = []
        if self.accept_op("("):
            params.append(self.param())
            while self.accept_op(","):
                params.append(self.param())
            self.expect_op(")")
        returns = None
        if is_function:
            self.expect_kw("RETURN")
            returns = self.type_ref()
        if not self.accept_kw("IS"):
            self.expect_kw("AS")
        decls = self.declarations()
        body = self.block_body(pos, None, decls)
        return dn.SubprogramDecl(pos, name, tuple(params), returns, body)

    def param(self) -> dn.ParamDecl:
        pos = self.pos
        name = self.ident()
        mode = "IN"
        if self.accept_kw("IN"):
            mode = "IN OUT" if self.accept_kw("OUT") else "IN"
        elif self.accept_kw("OUT"):
            mode = "OUT"
        self.accept_kw("NOCOPY")
        type_ref = self.type_ref()
        default = None
        if self.accept_op(":=") or self.accept_kw("DEFAULT"):
            default = self.expr()
        return dn.ParamDecl(pos, name, mode, type_ref, default)

    def skip_statement(self) -> str:
        """Skip to the ';' ending an unsupported construct; return its first word."""
        what = self.cur.text.upper()
        depth = 0
        while not (depth == 0 and self.at_op(";")):
            if self.cur.kind == "EOF":
                raise self.error(";")
            if self.at_op("("):
                depth += 1
            elif self.at_op(")"):
                depth -= 1
            self.next()
        self.next()
        return what

    # --- statements --------------------------------------------------------------------

    def statements(self) -> tuple[n.Stmt, ...]:
        stmts: list[n.Stmt] = []
        while not self.at_kw(*_BLOCK_END):
            if self.cur.kind == "EOF":
                raise self.error("end")
            stmts.append(self.statement())
        if not stmts:
            raise self.error("begin", "case", "declare", "exit", "for", "if", "loop", "null")
        return tuple(stmts)

    def statement(self) -> n.Stmt:
        pos = self.pos
        label = None
        if self.accept_op("<<"):
            label = self.ident()
            self.expect_op(">>")
            if self.at_op("<<"):
                return self.statement()
        if self.at_kw("BEGIN", "DECLARE"):
            return self.block(label)
        if self.at_kw("LOOP", "WHILE", "FOR"):
            from airflow_datapump.testing._plsql.parse_loops import loop_statement

            return loop_statement(self, pos, label)
        word = str(self.cur.value) if self.cur.kind == "ID" else ""
        if word in _UNSUPPORTED_STMTS:
            return n.Unsupported(pos, self.skip_statement())
        simple = self.simple_statement(pos, word)
        if simple is not None:
            return simple
        return self.assignment_or_call(pos)

    def end_statement(self) -> None:
        self.expect_op(";")

    def simple_statement(self, pos: n.Pos, word: str) -> n.Stmt | None:
        from airflow_datapump.testing._plsql.parse_loops import simple_statement

        return simple_statement(self, pos, word)

    def assignment_or_call(self, pos: n.Pos) -> n.Stmt:
        if not (self.cur.kind == "BIND" or self.at_ident()):
            raise self.error("begin", "case", "declare", "exit", "for", "if", "loop", "null")
        target = self.target()
        if self.accept_op(":="):
            value = self.expr()
            self.end_statement()
            return n.Assign(pos, target, value)
        if isinstance(target, n.BindRef):
            raise self.error(":=")
        self.end_statement()
        return n.CallStmt(pos, target)

    def target(self) -> n.Expr:
        if self.cur.kind == "BIND":
            return self.primary()
        if not self.at_ident():
            raise self.error("an identifier")
        return self.postfix()

    def expect_end(self, word: str) -> None:
        self.expect_kw("END")
        self.expect_kw(word)


def unexpected(parser: PlsqlParser, *expected: str) -> ParseError:
    return parser.error(*expected)

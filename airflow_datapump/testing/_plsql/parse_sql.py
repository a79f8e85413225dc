"""SQL queries and DML (SELECT, INSERT, UPDATE, DELETE, TRUNCATE, COMMIT, ROLLBACK)."""

from __future__ import annotations

import dataclasses

from airflow_datapump.testing._plsql.nodes import Expr
from airflow_datapump.testing._plsql.parse_expr import ExprParser
from airflow_datapump.testing._plsql.sqlnodes import (
    CollectionRef,
    Delete,
    FromItem,
    Insert,
    Join,
    OrderItem,
    Query,
    Returning,
    SelectItem,
    SubqueryRef,
    TableRef,
    TransactionSql,
    Truncate,
    Update,
)
from airflow_datapump.testing._plsql.tokens import ParseError

# Keywords that may follow a table or column where an alias could stand; not reserved in Oracle.
_NOT_ALIAS = ("LEFT", "INNER", "JOIN", "OUTER", "CROSS", "OFFSET", "FETCH", "INTO", "RETURNING")


class SqlParser(ExprParser):
    def alias(self) -> str | None:
        if self.at_ident() and not self.at_kw(*_NOT_ALIAS):
            return self.ident()
        return None

    def query(self, into: list[Expr] | None = None) -> Query:
        """A SELECT, possibly compound; with ``into`` given (PL/SQL), the INTO targets are
        collected there."""
        if self.at_kw("WITH"):
            raise ParseError(self.cur, ("select",), sql_code=3001)
        first = self.query_block(into)
        branches: list[tuple[str, Query]] = []
        while self.at_kw("UNION", "INTERSECT", "MINUS"):
            op = str(self.next().value)
            if op == "UNION" and self.accept_kw("ALL"):
                op = "UNION ALL"
            if self.accept_op("("):
                branch = self.query()
                self.expect_op(")")
            else:
                branch = self.query_block(None)
            branches.append((op, branch))
        order_by = self.order_by() if self.at_kw("ORDER") else ()
        offset, fetch = self.offset_fetch()
        return dataclasses.replace(
            first, order_by=order_by, offset=offset, fetch=fetch, compound=tuple(branches)
        )

    def query_block(self, into: list[Expr] | None) -> Query:
        """One SELECT ... FROM ... [WHERE] [GROUP BY] [HAVING], without ORDER BY."""
        pos = self.pos
        self.expect_kw("SELECT", sql_code=928)
        distinct = self.accept_kw("DISTINCT", "UNIQUE")
        if not distinct:
            self.accept_kw("ALL")
        items = self.select_items()
        if into is not None and self.accept_kw("INTO"):
            into.append(self.target())
            while self.accept_op(","):
                into.append(self.target())
        self.expect_kw("FROM", sql_code=923)
        from_ = [self.from_item()]
        while self.accept_op(","):
            from_.append(self.from_item())
        where = self.expr() if self.accept_kw("WHERE") else None
        connect_by, start_with = self.hierarchical()
        group_by: list[Expr] = []
        if self.accept_kw("GROUP"):
            self.expect_kw("BY", sql_code=924)
            group_by = [self.expr()]
            while self.accept_op(","):
                group_by.append(self.expr())
        having = self.expr() if self.accept_kw("HAVING") else None
        query = Query(pos, distinct, items, tuple(from_), where, tuple(group_by), having)
        return dataclasses.replace(query, connect_by=connect_by, start_with=start_with)

    def hierarchical(self) -> tuple[Expr | None, Expr | None]:
        """``CONNECT BY cond [START WITH cond]`` or ``START WITH cond CONNECT BY cond``
        (SQL Language Reference, hierarchical_query_clause); NOCYCLE is not implemented."""
        connect: Expr | None = None
        start: Expr | None = None
        for _ in range(2):
            if start is None and self.accept_kw("START"):
                self.expect_kw("WITH")
                start = self.expr()
            elif connect is None and self.accept_kw("CONNECT"):
                self.expect_kw("BY", sql_code=924)
                if self.at_kw("NOCYCLE"):
                    raise ParseError(self.cur, ("PRIOR",), sql_code=3001)
                self.in_hierarchy = True
                try:
                    connect = self.expr()
                finally:
                    self.in_hierarchy = False
        if start is not None and connect is None:
            raise ParseError(self.cur, ("CONNECT",), sql_code=1788)
        return connect, start

    def target(self) -> Expr:
        """An assignment target; the PL/SQL parser narrows what is accepted."""
        return self.postfix()

    def select_items(self) -> tuple[SelectItem, ...]:
        items = [self.select_item()]
        while self.accept_op(","):
            items.append(self.select_item())
        return tuple(items)

    def select_item(self) -> SelectItem:
        from airflow_datapump.testing._plsql.nodes import Star

        pos = self.pos
        start = self.i
        if self.accept_op("*"):
            return SelectItem(pos, Star(pos), None, "*")
        expr = self.expr()
        text = "".join(self.span_text(start, self.i).split()).upper()
        alias = self.ident(sql_code=923) if self.accept_kw("AS") else self.alias()
        return SelectItem(pos, expr, alias, text)

    def from_item(self) -> FromItem:
        item = self.table_primary()
        while True:
            pos = self.pos
            if self.accept_kw("CROSS"):
                self.expect_kw("JOIN", sql_code=905)
                item = Join(pos, item, self.table_primary(), "CROSS", None)
                continue
            kind = "LEFT" if self.at_kw("LEFT") else "INNER"
            if self.accept_kw("LEFT"):
                self.accept_kw("OUTER")
            else:
                self.accept_kw("INNER")
            if not self.at_kw("JOIN"):
                if self.toks[self.i - 1].is_kw("LEFT", "INNER", "OUTER"):
                    raise self.error("join", sql_code=905)
                return item
            self.next()
            right = self.table_primary()
            self.expect_kw("ON", sql_code=905)
            item = Join(pos, item, right, kind, self.expr())

    def table_primary(self) -> FromItem:
        pos = self.pos
        if self.accept_op("("):
            query = self.query()
            self.expect_op(")")
            return SubqueryRef(pos, query, self.alias())
        if self.at_kw("TABLE") and self.peek().is_op("("):
            self.next()
            self.expect_op("(")
            expr = self.expr()
            self.expect_op(")")
            return CollectionRef(pos, expr, self.alias())
        table = self.table_name()
        alias = self.alias()
        return TableRef(pos, table.schema, table.name, table.dblink, alias)

    def table_name(self) -> TableRef:
        pos = self.pos
        name = self.ident("a table name", sql_code=903)
        schema = None
        if self.accept_op("."):
            schema, name = name, self.any_word()
        dblink = None
        if self.accept_op("@"):
            parts = [self.any_word()]
            while self.accept_op("."):
                parts.append(self.any_word())
            dblink = ".".join(parts)
        return TableRef(pos, schema, name, dblink, None)

    def order_by(self) -> tuple[OrderItem, ...]:
        self.expect_kw("ORDER")
        self.expect_kw("BY", sql_code=924)
        items = [self.order_item()]
        while self.accept_op(","):
            items.append(self.order_item())
        return tuple(items)

    def order_item(self) -> OrderItem:
        pos = self.pos
        expr = self.expr()
        descending = self.accept_kw("DESC")
        if not descending:
            self.accept_kw("ASC")
        nulls_first = None
        if self.accept_kw("NULLS"):
            if not self.at_kw("FIRST", "LAST"):
                raise self.error("first", "last", sql_code=905)
            nulls_first = self.next().value == "FIRST"
        return OrderItem(pos, expr, descending, nulls_first)

    def offset_fetch(self) -> tuple[Expr | None, Expr | None]:
        offset = fetch = None
        if self.accept_kw("OFFSET"):
            offset = self.additive()
            if not self.accept_kw("ROW", "ROWS"):
                raise self.error("rows", sql_code=905)
        if self.accept_kw("FETCH"):
            if not self.accept_kw("FIRST", "NEXT"):
                raise self.error("first", "next", sql_code=905)
            fetch = self.additive()
            if not self.accept_kw("ROW", "ROWS"):
                raise self.error("rows", sql_code=905)
            self.expect_kw("ONLY", sql_code=905)
        return offset, fetch

    # --- DML ---------------------------------------------------------------------------

    def dml(self) -> Insert | Update | Delete | Truncate | TransactionSql:
        pos = self.pos
        if self.accept_kw("INSERT"):
            return self.insert_rest(pos)
        if self.accept_kw("UPDATE"):
            table = self.aliased_table()
            self.expect_kw("SET", sql_code=971)
            sets = [self.set_clause()]
            while self.accept_op(","):
                sets.append(self.set_clause())
            where = self.expr() if self.accept_kw("WHERE") else None
            return Update(pos, table, tuple(sets), where, self.returning())
        if self.accept_kw("DELETE"):
            self.accept_kw("FROM")
            table = self.aliased_table()
            where = self.expr() if self.accept_kw("WHERE") else None
            return Delete(pos, table, where, self.returning())
        if self.accept_kw("TRUNCATE"):
            self.expect_kw("TABLE", sql_code=3290)
            return Truncate(pos, self.table_name())
        return self.transaction_control()

    def transaction_control(self) -> TransactionSql:
        """COMMIT [WORK], ROLLBACK [WORK] [TO [SAVEPOINT] name], or SAVEPOINT name."""
        pos = self.pos
        action = str(self.next().value)
        if action == "SAVEPOINT":
            return TransactionSql(pos, action, self.ident())
        self.accept_kw("WORK")
        if action == "ROLLBACK" and self.accept_kw("TO"):
            self.accept_kw("SAVEPOINT")
            return TransactionSql(pos, action, self.ident())
        return TransactionSql(pos, action)

    def returning(self) -> Returning | None:
        """``RETURNING`` (or ``RETURN``) ``expr, ... INTO target, ...`` after a DML statement."""
        pos = self.pos
        if not self.accept_kw("RETURNING", "RETURN"):
            return None
        exprs = [self.expr()]
        while self.accept_op(","):
            exprs.append(self.expr())
        self.expect_kw("INTO", sql_code=905)
        targets = [self.target()]
        while self.accept_op(","):
            targets.append(self.target())
        return Returning(pos, tuple(exprs), tuple(targets))

    def aliased_table(self) -> TableRef:
        table = self.table_name()
        alias = self.alias()
        return TableRef(table.pos, table.schema, table.name, table.dblink, alias)

    def set_clause(self) -> tuple[str, Expr]:
        column = self.ident(sql_code=927)
        if self.accept_op("."):
            column = self.any_word()
        self.expect_op("=", sql_code=927)
        return column, self.expr()

    def insert_rest(self, pos: tuple[int, int]) -> Insert:
        self.expect_kw("INTO", sql_code=925)
        table = self.aliased_table()
        columns: list[str] = []
        if self.accept_op("("):
            columns.append(self.ident())
            while self.accept_op(","):
                columns.append(self.ident())
            self.expect_op(")")
        if self.accept_kw("VALUES"):
            self.expect_op("(")
            values = [self.expr()]
            while self.accept_op(","):
                values.append(self.expr())
            self.expect_op(")")
            return Insert(pos, table, tuple(columns), tuple(values), None, self.returning())
        if self.at_kw("SELECT", "WITH"):
            return Insert(pos, table, tuple(columns), None, self.query())
        raise self.error("values", "select", sql_code=926)

"""Read-only SQL for power users: one SELECT over the event tables, nothing else.

The engine itself refuses writes, table functions and settings (`readonly = 1`); this guard
also refuses reading any table but the event tables (system tables, the ledger, ...), checked
on the engine's own parse (EXPLAIN AST), not on the text.
"""
from __future__ import annotations

import re

from ..core.errors import QueryError
from ..core.ports import Store
from ..core.schema import EVENT_TABLES

_CLAUSES = re.compile(r"\b(INTO\s+OUTFILE|SETTINGS|FORMAT)\b", re.I)
_CTE = re.compile(r"(?:\bWITH|,)\s*`?(\w+)`?\s+AS\s*\(", re.I)
_DENIED_FUNCTIONS = re.compile(r"^\s*Function (dictGet\w*|dictHas|joinGet\w*|getSetting|hostName)\b", re.M)


def check_select(store: Store, sql: str) -> None:
    if ";" in sql.strip().rstrip(";"):
        raise QueryError("one statement at a time")
    if m := _CLAUSES.search(sql):
        raise QueryError(f"{m[1].upper()} is not allowed in user SQL (output and limits are set by backtrail)")
    try:
        rows = store.query(f"EXPLAIN AST {sql.strip().rstrip(';')}")
    except QueryError as exc:
        raise QueryError(f"invalid SQL: {exc}") from None
    ast = "\n".join(row["explain"] for row in rows)
    if not ast.startswith("SelectWithUnionQuery"):
        raise QueryError("only SELECT statements are allowed")
    allowed = set(EVENT_TABLES) | {f"default.{t}" for t in EVENT_TABLES} | set(_CTE.findall(sql))
    lines = ast.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith("TableExpression") and i + 1 < len(lines):
            child = lines[i + 1].split()
            if child[0] == "Function":
                raise QueryError(f"table function {child[1]}() is not allowed")
            if child[0] == "TableIdentifier" and child[1] not in allowed:
                raise QueryError(f"table {child[1]} is not readable; SQL may read: {', '.join(EVENT_TABLES)}")
    if m := _DENIED_FUNCTIONS.search(ast):
        raise QueryError(f"function {m[1]}() is not allowed")

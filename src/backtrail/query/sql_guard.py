"""Read-only SQL for power users: one SELECT over the event tables, nothing else.

The engine itself refuses writes, table functions and settings changes (`readonly = 1`); this
guard also refuses reading any other table (system tables, the ledger, ...), checked on the
engine's own parse (EXPLAIN AST), and clauses that would bypass backtrail's output and limits.
"""
from __future__ import annotations

import re

from ..core.errors import QueryError
from ..core.ports import Store
from ..core.schema import EVENT_TABLES

# strings, quoted identifiers (a `#` or `--` in "a#b" starts no comment) and heredocs, then comments
_LITERALS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`(?:[^`\\]|\\.)*`|(?<![\w$])\$(\w*)\$.*?\$\1\$"
                       r"|--[^\n]*|/\*.*?\*/|#[^\n]*", re.S)
_CLAUSES = re.compile(r"\b(INTO\s+OUTFILE|SETTINGS|FORMAT)\b", re.I)
_CTE = re.compile(r"(?:\bWITH|,)\s*`?(\w+)`?\s+AS\s*\(", re.I)
_DENIED_FUNCTIONS = re.compile(r"^\s*Function (dictGet\w*|dictHas|joinGet\w*|getSetting|hostName|file|filesystem\w+"
                               r"|fqdn|getMacro|getServerPort|serverUUID|getOSKernelVersion|getClientHTTPHeader)\b",
                               re.M | re.I)  # file(): reads any file the process may read, readonly or not
_DATABASES = ("system.", "information_schema.", "INFORMATION_SCHEMA.", "default.")
_OTHER_TABLES = ("objects", "errors")


def check_select(store: Store, sql: str) -> None:
    # words inside strings and comments are not clauses; a plain quoted name stays (a CTE's)
    code = _LITERALS.sub(lambda m: m[0] if re.fullmatch(r"([\"`])\w+\1", m[0]) else "''", sql)
    if ";" in code.strip().rstrip(";"):
        raise QueryError("one statement at a time")
    if m := _CLAUSES.search(code):
        raise QueryError(f"{m[1].upper()} is not allowed in user SQL (output and limits are set by backtrail)")
    try:
        rows = store.query(f"EXPLAIN AST {sql.strip().rstrip(';')}")
    except QueryError as exc:
        raise QueryError(f"invalid SQL: {exc}") from None
    ast = "\n".join(row["explain"] for row in rows)
    if not ast.startswith("SelectWithUnionQuery"):
        raise QueryError("only SELECT statements are allowed")
    if not ast.startswith("SelectWithUnionQuery (children 1)\n") or re.search(r"^\s*Set$", ast, re.M):
        # the engine's own parse, whatever the text looks like: INTO OUTFILE, FORMAT, SETTINGS
        raise QueryError("INTO OUTFILE, FORMAT and SETTINGS are not allowed in user SQL")
    ctes = {name for name in _CTE.findall(code) if name not in _OTHER_TABLES}
    readable = set(EVENT_TABLES) | {f"default.{t}" for t in EVENT_TABLES} | ctes
    lines = ast.splitlines()
    for i, line in enumerate(lines):
        node, _, name = line.strip().partition(" ")
        name = name.split(" ")[0]
        if node == "TableExpression" and i + 1 < len(lines):
            child, _, target = lines[i + 1].strip().partition(" ")
            target = target.split(" ")[0]
            if child == "Function":
                raise QueryError(f"table function {target}() is not allowed")
            if child == "TableIdentifier" and target not in readable:
                raise QueryError(f"table {target} is not readable; SQL may read: {', '.join(EVENT_TABLES)}")
        if node == "Identifier" and name not in readable and (name.startswith(_DATABASES) or name in _OTHER_TABLES):
            raise QueryError(f"table {name} is not readable; SQL may read: {', '.join(EVENT_TABLES)}")
    if m := _DENIED_FUNCTIONS.search(ast):
        raise QueryError(f"function {m[1]}() is not allowed")

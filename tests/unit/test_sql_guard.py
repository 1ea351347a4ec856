"""Read-only SQL: reads of the event tables pass, everything else is refused by name."""
import pytest

from backtrail.core.errors import QueryError
from backtrail.query.service import QueryService


@pytest.mark.parametrize("sql", [
    "SELECT count() AS n FROM events",
    "SELECT action, count() AS n FROM events GROUP BY action ORDER BY n DESC LIMIT 5",
    "WITH recent AS (SELECT * FROM events WHERE ts > now() - INTERVAL 1 DAY) SELECT count() FROM recent",
    "SELECT count() FROM default.events AS e WHERE e.event_id IN (SELECT event_id FROM events)",
])
def test_allowed(store, sql):
    QueryService(store).sql(sql)


@pytest.mark.parametrize("sql, why", [
    ("INSERT INTO events (raw) VALUES ('x')", "only SELECT"),
    ("DROP TABLE events", "only SELECT"),
    ("SELECT * FROM system.tables", "system.tables"),
    ("SELECT * FROM objects", "objects"),
    ("SELECT * FROM file('/etc/passwd')", "file"),
    ("SELECT * FROM url('http://127.0.0.1:1/', CSV)", "url"),
    ("SELECT * FROM numbers(10)", "numbers"),
    ("SELECT 1; DROP TABLE events", "one statement"),
    ("SELECT * FROM events INTO OUTFILE '/tmp/x'", "OUTFILE"),
    ("SELECT dictGet('d', 'a', 1) FROM events", "dictGet"),
    ("SELECT * FROM events SETTINGS readonly = 0", "SETTINGS"),
    ("SELECT * FROM events FORMAT Native", "FORMAT"),
    ("SELEC nonsense", "invalid SQL"),
])
def test_refused(store, sql, why):
    with pytest.raises(QueryError, match=why):
        QueryService(store).sql(sql)


def test_row_cap(store):
    with pytest.raises(QueryError):
        QueryService(store).sql("SELECT number FROM (SELECT 1 AS number) ARRAY JOIN range(200) AS x", max_rows=10)

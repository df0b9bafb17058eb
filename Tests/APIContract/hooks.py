"""Schemathesis hooks for the API contract run (scripts/api-contract).

docs/openapi.yaml states every rule of a request that JSON Schema can state. One rule it cannot: a period given as
`from` and `to` must not end before it starts, a comparison of two values. The server answers such a request 400,
as the document says; a generator that knows only the schema would count that answer as a schema-valid request
refused. This hook puts a generated pair of days in order, so every schema-valid request is a valid one.

Two more of the same kind, for a push's `sync` and `order` (docs/protocol.md, "Two pushes in flight"): they go
together (one without the other is 400), and a push numbered above 1 can be judged only in a sync the server already
knows (else 409), which no generated sync id is. The hook drops one given alone and numbers a generated push 1.
"""

from __future__ import annotations

import datetime
import uuid

import schemathesis


def _day(value: object) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _sync(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


def _order(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 1 else None
    if isinstance(value, str) and value.isdigit() and value.isascii():
        number = int(value)
        return number if number >= 1 else None
    return None


@schemathesis.hook
def map_query(context, query):
    if not isinstance(query, dict):
        return query
    first, last = _day(query.get("from")), _day(query.get("to"))
    if first is not None and last is not None and first > last:
        query["from"], query["to"] = query["to"], query["from"]
    return query


@schemathesis.hook
def map_case(context, case):
    # A case hook, not a query hook: schemathesis' coverage phase applies only case hooks, and sends each optional
    # parameter alone. Only valid values are changed: an invalid one is refused (400) whatever the hook does, as it
    # should be.
    query = case.query
    if not isinstance(query, dict):
        return case
    sync, order = _sync(query.get("sync")), _order(query.get("order"))
    if "sync" in query and "order" not in query and sync:
        del query["sync"]
    elif "order" in query and "sync" not in query and order is not None:
        del query["order"]
    elif sync and order is not None and order > 1:
        query["order"] = 1
    return case

"""Schemathesis hooks for the API contract run (scripts/api-contract).

docs/openapi.yaml states every rule of a request that JSON Schema can state. One rule it cannot: a period given as
`from` and `to` must not end before it starts, a comparison of two values. The server answers such a request 400,
as the document says; a generator that knows only the schema would count that answer as a schema-valid request
refused. This hook puts a generated pair of days in order, so every schema-valid request is a valid one.
"""

from __future__ import annotations

import datetime

import schemathesis


def _day(value: object) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


@schemathesis.hook
def map_query(context, query):
    if not isinstance(query, dict):
        return query
    first, last = _day(query.get("from")), _day(query.get("to"))
    if first is not None and last is not None and first > last:
        query["from"], query["to"] = query["to"], query["from"]
    return query

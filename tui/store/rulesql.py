"""Rules rendered as SQL: the WHERE fragments for a rule's match and scope and for what the
rules hide, run by the store with the same REGEXP (tui.store.listing.regexp) as the Python
matcher in tui.services.rules, so SQL and Python cannot disagree."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Protocol

from tui.store.listing import regexp

# Entry fields as the store keeps them: the column behind each rule field.
RULE_COLUMNS: Mapping[str, str] = {
    "title": "title",
    "summary": "summary_text",
    "content": "content_html",
    "author": "author",
    "link": "link",
}


class RuleLike(Protocol):
    """What rendering needs of a rule (tui.services.rules.Rule)."""

    @property
    def pattern(self) -> str: ...
    @property
    def negate(self) -> bool: ...
    @property
    def field(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def sources(self) -> tuple[str, ...]: ...
    @property
    def folders(self) -> tuple[str, ...]: ...
    @property
    def like(self) -> str | None: ...
    @property
    def scope_patterns(self) -> tuple[str, ...]: ...


def register_sql(conn: sqlite3.Connection) -> None:
    """Install REGEXP on a connection (once per connection, before using the fragments); the
    Store installs the same function on its own connections."""
    conn.create_function("regexp", 2, regexp, deterministic=True)


def match_sql(rule: RuleLike, alias: str = "e") -> tuple[str, list[object]]:
    """WHERE fragment: the entry matches the rule's `match` (negation applied, scope not)."""
    fields = tuple(RULE_COLUMNS) if rule.field == "any" else (rule.field,)
    parts: list[str] = []
    params: list[object] = []
    for f in fields:
        column = f"{alias}.{RULE_COLUMNS[f]}"
        if rule.like is None:
            parts.append(f"{column} REGEXP ?")
            params.append(rule.pattern)
        else:
            # LIKE runs in C and rules out most rows before Python is called; coalesce keeps
            # NULL columns a plain "no match" so that NOT works as in Python.
            parts.append(f"(coalesce({column} LIKE ? ESCAPE '\\', 0) AND {column} REGEXP ?)")
            params += [rule.like, rule.pattern]
    sql = "(" + " OR ".join(parts) + ")"
    return (f"NOT {sql}" if rule.negate else sql), params


def scope_sql(rule: RuleLike, alias: str = "e") -> tuple[str, list[object]]:
    """WHERE fragment: the entry's source is in the rule's scope (uses the sources table)."""
    if not rule.sources and not rule.folders:
        return "1", []
    conds: list[str] = []
    params: list[object] = []
    if rule.folders:
        conds.append(f"folder IN ({', '.join('?' * len(rule.folders))})")
        params += rule.folders
    for pattern in rule.scope_patterns:
        conds.append("url REGEXP ?")
        params.append(pattern)
    sql = f"{alias}.source_id IN (SELECT id FROM sources WHERE {' OR '.join(conds)})"
    return sql, params


def hidden_sql(rules: Sequence[RuleLike], alias: str = "e") -> tuple[str, list[object]]:
    """WHERE fragment true for hidden entries (write `NOT (...)` to leave them out)."""
    hide: list[str] = []
    params: list[object] = []
    keep_scopes: list[str] = []
    keep_matches: list[str] = []
    keep_scope_params: list[object] = []
    keep_match_params: list[object] = []
    for rule in rules:
        if rule.action not in ("hide", "keep-only"):
            continue
        scope, scope_params = scope_sql(rule, alias)
        match, match_params = match_sql(rule, alias)
        if rule.action == "hide":
            hide.append(f"({scope} AND {match})")
            params += scope_params + match_params
        else:
            keep_scopes.append(scope)
            keep_scope_params += scope_params
            keep_matches.append(f"({scope} AND {match})")
            keep_match_params += scope_params + match_params
    if keep_scopes:
        hide.append(f"(({' OR '.join(keep_scopes)}) AND NOT ({' OR '.join(keep_matches)}))")
        params += keep_scope_params + keep_match_params
    if not hide:
        return "0", []
    return "(" + " OR ".join(hide) + ")", params

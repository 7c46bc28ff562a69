"""Rules rendered as SQL: the WHERE fragments for a rule's match and scope and for what the
rules hide, run by the store with the same REGEXP and RULEWORDS functions (tui.store.rulematch)
as the Python matcher in tui.services.rules, so SQL and Python cannot disagree."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Protocol

from tui.store.rulematch import regexp, words_key, words_match

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
    def words(self) -> tuple[str, ...] | None: ...
    @property
    def scope_patterns(self) -> tuple[str, ...]: ...


def register_sql(conn: sqlite3.Connection) -> None:
    """Install REGEXP and RULEWORDS on a connection (once per connection, before using the
    fragments); the Store installs the same functions on its own connections."""
    conn.create_function("regexp", 2, regexp, deterministic=True)
    conn.create_function("rulewords", 2, words_match, deterministic=True)


# Word rules sharing a scope and field are matched as one set from this many on: below it, each
# one's LIKE prefilter (in C) is cheaper than splitting every text into words (measured with
# bench/rules_scale.py on 10,000 long entries: 40 LIKE rules 0.46 s, the set 0.9-1.3 s whatever
# its size; 100 LIKE rules 1.39 s).
WORDSET_MIN = 100


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
            test, arg = (
                ("rulewords(?, {c})", words_key([rule.words]))
                if rule.words is not None
                else ("{c} REGEXP ?", rule.pattern)
            )
            parts.append(f"(coalesce({column} LIKE ? ESCAPE '\\', 0) AND {test.format(c=column)})")
            params += [rule.like, arg]
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
    """WHERE fragment true for hidden entries (write `NOT (...)` to leave them out). Word rules
    sharing scope and field are one set, and every OR is a balanced tree: thousands of rules
    stay within SQLite's expression depth."""
    hide = [r for r in rules if r.action == "hide"]
    keep = [r for r in rules if r.action == "keep-only"]
    terms = _scoped_terms(hide, alias)
    if keep:
        scopes = [scope_sql(r, alias) for r in keep]
        covered, covered_params = any_of([s for s, _ in scopes], [p for _, p in scopes])
        kept, kept_params = any_of(*_unzip(_scoped_terms(keep, alias)))
        terms.append((f"({covered} AND NOT {kept})", covered_params + kept_params))
    if not terms:
        return "0", []
    return any_of(*_unzip(terms))


def _scoped_terms(rules: Sequence[RuleLike], alias: str) -> list[tuple[str, list[object]]]:
    """`(scope AND match)` per rule, with many plain word rules of one scope and field merged."""
    groups: dict[tuple[object, ...], list[RuleLike]] = {}
    for rule in rules:
        if rule.words is not None and not rule.negate:
            groups.setdefault((rule.field, rule.sources, rule.folders), []).append(rule)
    merged = {id(r) for g in groups.values() if len(g) >= WORDSET_MIN for r in g}
    terms: list[tuple[str, list[object]]] = []
    for group in groups.values():
        if len(group) >= WORDSET_MIN:
            scope, scope_params = scope_sql(group[0], alias)
            match, match_params = _words_sql(group, alias)
            terms.append((f"({scope} AND {match})", scope_params + match_params))
    for rule in rules:
        if id(rule) not in merged:
            scope, scope_params = scope_sql(rule, alias)
            match, match_params = match_sql(rule, alias)
            terms.append((f"({scope} AND {match})", scope_params + match_params))
    return terms


def _words_sql(group: list[RuleLike], alias: str) -> tuple[str, list[object]]:
    key = words_key([r.words for r in group if r.words is not None])
    fields = tuple(RULE_COLUMNS) if group[0].field == "any" else (group[0].field,)
    parts = [f"rulewords(?, {alias}.{RULE_COLUMNS[f]})" for f in fields]
    return "(" + " OR ".join(parts) + ")", [key] * len(fields)


def _unzip(terms: list[tuple[str, list[object]]]) -> tuple[list[str], list[list[object]]]:
    return [t for t, _ in terms], [p for _, p in terms]


def any_of(parts: list[str], params: list[list[object]]) -> tuple[str, list[object]]:
    """`a OR b OR ...` as a balanced tree of parentheses: depth log2(n), not n."""
    if len(parts) == 1:
        return parts[0], list(params[0])
    half = len(parts) // 2
    left, left_params = any_of(parts[:half], params[:half])
    right, right_params = any_of(parts[half:], params[half:])
    return f"({left} OR {right})", left_params + right_params

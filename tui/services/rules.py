"""Rules that hide the noise: parse `[[rules]]`, match entries in Python, and say the same in SQL.

A rule is `match` (a word, a "quoted phrase" or a /regex/; case-insensitive; a leading `!`
negates), `field` (title, summary, content, author, link, or any: the default), an optional
scope (`sources`: feed URLs or globs, `folders`: folder names; an entry is in scope when it
matches either list, or always when both are empty), an `action` and an optional `name`.

Actions: `hide` (default) hides matching entries in scope; `keep-only` hides entries in scope
that match none of the keep-only rules covering them (two keep-only rules on one folder keep
either kind); `read` and `star` apply once, when an entry arrives (`actions_on_arrival`).

One matcher, two places (tui.store.rulematch). A /regex/ is a compiled pattern, bounded in time,
and SQL calls the very same pattern string through a `REGEXP` function; a plain word or phrase
is a set of words, and SQL calls the same set through `rulewords` (`register_sql` installs both),
so SQL and Python cannot disagree. Words and phrases are whole-word matches: "rust" does not
hide "trust"; many word rules of one scope and field are one set, so thousands cost what one
does. For words and phrases SQL first runs a LIKE prefilter that
every match satisfies (SQLite's LIKE is case-insensitive for ASCII only, so letters with
non-ASCII case twins and non-ASCII letters become '_'), so Python is called only for the few
rows that may match. Why not FTS or instr(lower(...)): the store indexes new entries into FTS
later (fts_pending), so FTS would miss the newest; lower() folds ASCII only, so instr would
disagree with Python on "ÉCOLE"; FTS has no link, author or content column. Regex rules call
Python once per row and column, inside SQLite's loop: no rows are loaded into Python.
"""

from __future__ import annotations

import fnmatch
import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tui.store.rulematch import (
    compile_error,
    compiled,
    nested_repeat,
    phrase_words,
    regexp,
    search,
    words_key,
    words_match,
)

FIELDS = ("title", "summary", "content", "author", "link")
ACTIONS = ("hide", "read", "star", "keep-only")
_KEYS = {"match", "field", "sources", "folders", "action", "name"}
# Entry fields as the store keeps them: the column behind each rule field.
COLUMNS: Mapping[str, str] = {
    "title": "title",
    "summary": "summary_text",
    "content": "content_html",
    "author": "author",
    "link": "link",
}


@dataclass(frozen=True)
class Rule:
    number: int  # 1-based position in the config, for messages and `rules remove`
    name: str | None
    match: str  # as written, for listing
    pattern: str  # the regular expression, inline flags included; shared by Python and SQL
    negate: bool
    field: str  # one of FIELDS, or "any"
    action: str
    sources: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()
    like: str | None = None  # a LIKE prefilter every match satisfies (words and phrases only)
    words: tuple[str, ...] | None = None  # a plain word or phrase: its lower-case words

    @property
    def label(self) -> str:
        return f"rule {self.name!r}" if self.name else f"rule {self.number}"

    @property
    def scope_patterns(self) -> tuple[str, ...]:
        return tuple(glob_pattern(s) for s in self.sources)


class RuleError(ValueError):
    pass


# -- parsing ----------------------------------------------------------------------------------


def parse_rules(raw: object) -> tuple[list[Rule], list[str]]:
    """Rules from the config's `rules` array; a bad rule gives a one-line error and is skipped."""
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], ["rules: expected a list of [[rules]] tables"]
    rules: list[Rule] = []
    errors: list[str] = []
    for number, item in enumerate(raw, start=1):
        try:
            rules.append(parse_rule(number, item))
        except RuleError as exc:
            errors.append(str(exc))
    return rules, errors


def parse_rule(number: int, item: object) -> Rule:
    if not isinstance(item, Mapping):
        raise RuleError(f"rule {number}: expected a table, got {type(item).__name__}")
    name = item.get("name")
    label = f"rule {name!r}" if isinstance(name, str) and name else f"rule {number}"
    if name is not None and not isinstance(name, str):
        raise RuleError(f"{label}: name must be a string")
    unknown = sorted(set(item) - _KEYS)
    if unknown:
        raise RuleError(f"{label}: unknown key {', '.join(map(str, unknown))}")
    match = item.get("match")
    if not isinstance(match, str) or not match.strip("! "):
        raise RuleError(f"{label}: match must be a non-empty string")
    field = item.get("field", "any")
    if field not in (*FIELDS, "any"):
        raise RuleError(f"{label}: unknown field {field!r} (one of {', '.join(FIELDS)}, any)")
    action = item.get("action", "hide")
    if action not in ACTIONS:
        raise RuleError(f"{label}: unknown action {action!r} (one of {', '.join(ACTIONS)})")
    negate, pattern, like = _match_pattern(label, match)
    words = phrase_words(match.strip().lstrip("!").strip().strip('"')) if like else None
    return Rule(
        number=number,
        name=name or None,
        match=match,
        pattern=pattern,
        negate=negate,
        field=str(field),
        action=str(action),
        sources=_strings(label, "sources", item.get("sources")),
        folders=_strings(label, "folders", item.get("folders")),
        like=like,
        words=words,
    )


def _strings(label: str, key: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RuleError(f"{label}: {key} must be a string or a list of strings")
    return tuple(value)


def _match_pattern(label: str, match: str) -> tuple[bool, str, str | None]:
    """(negated, regular expression, LIKE prefilter or None) for a match string."""
    text = match.strip()
    negate = text.startswith("!")
    if negate:
        text = text[1:].strip()
    if len(text) >= 2 and text.startswith("/") and text.endswith("/"):
        pattern = "(?i)" + text[1:-1]
        error = compile_error(pattern)
        if error:
            raise RuleError(f"{label}: invalid regex {text}: {error}")
        if nested_repeat(pattern):
            raise RuleError(
                f"{label}: regex {text} nests a repeat inside a repeat, which can take for ever "
                "on a near match; write it without the nesting (e.g. (a+)+ as a+)"
            )
        return negate, pattern, None
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        text = text[1:-1]
    if not text.strip():
        raise RuleError(f"{label}: match must not be empty")
    return negate, "(?i)" + word_pattern(text), like_pattern(text)


def word_pattern(text: str) -> str:
    """Whole-word (or whole-phrase) match; any run of spaces matches any run of whitespace."""
    body = r"\s+".join(re.escape(w) for w in text.split())
    start = r"(?<!\w)" if re.match(r"\w", text.strip()) else ""
    end = r"(?!\w)" if re.search(r"\w$", text.strip()) else ""
    return start + body + end


# ASCII letters that Python's case-insensitive matching also finds outside ASCII (İ ı, K, ſ),
# where SQLite's ASCII-only LIKE would not: the prefilter lets any character stand for them.
_WIDE_CASE = frozenset("iks")


def like_pattern(text: str) -> str:
    """A LIKE pattern that every text the word pattern matches satisfies: the words in order,
    with '_' for characters LIKE cannot compare case-insensitively. Escape character: \\."""
    out = []
    for word in text.split():
        chars = []
        for ch in word:
            if not ch.isascii() or ch.lower() in _WIDE_CASE:
                chars.append("_")
            elif ch in "%_\\":
                chars.append("\\" + ch)
            else:
                chars.append(ch)
        out.append("".join(chars))
    return "%" + "%".join(out) + "%"


def glob_pattern(glob: str) -> str:
    """A feed URL or glob as an anchored, case-sensitive regular expression."""
    return r"\A" + fnmatch.translate(glob)


# -- matching in Python -----------------------------------------------------------------------


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def matches(rule: Rule, entry: Mapping[str, object]) -> bool:
    """Does the entry match the rule's `match` on its field (negation applied, scope not)?"""
    fields = FIELDS if rule.field == "any" else (rule.field,)
    if rule.words is not None:  # the same matcher as the SQL's rulewords
        key = words_key([rule.words])
        found = any(words_match(key, entry.get(f)) for f in fields)
    else:
        found = any(search(rule.pattern, _text(entry.get(f))) for f in fields)
    return found != rule.negate


def in_scope(rule: Rule, entry: Mapping[str, object]) -> bool:
    """Is the entry (keys `source`: its feed URL, `folder`) in the rule's scope?"""
    if not rule.sources and not rule.folders:
        return True
    folder = entry.get("folder")
    if rule.folders and isinstance(folder, str) and folder in rule.folders:
        return True
    source = _text(entry.get("source"))
    return any(compiled(p).search(source) for p in rule.scope_patterns)


def is_hidden(entry: Mapping[str, object], rules: Iterable[Rule]) -> bool:
    """Hidden by a hide rule, or by keep-only rules that cover it and that it all fails."""
    kept_by: bool | None = None  # None: no keep-only rule covers the entry
    for rule in rules:
        if rule.action == "hide" and in_scope(rule, entry) and matches(rule, entry):
            return True
        if rule.action == "keep-only" and in_scope(rule, entry):
            kept_by = bool(kept_by) or matches(rule, entry)
    return kept_by is False


def actions_on_arrival(entry: Mapping[str, object], rules: Iterable[Rule]) -> dict[str, bool]:
    """What `read` and `star` rules do to a newly arrived entry."""
    out = {"read": False, "star": False}
    for rule in rules:
        if rule.action in out and in_scope(rule, entry) and matches(rule, entry):
            out[rule.action] = True
    return out


# -- the same in SQL --------------------------------------------------------------------------


def register_sql(conn: sqlite3.Connection) -> None:
    """Install REGEXP and RULEWORDS on a connection (once per connection, before using the
    fragments); the Store installs the same functions on its own connections."""
    conn.create_function("regexp", 2, regexp, deterministic=True)
    conn.create_function("rulewords", 2, words_match, deterministic=True)


# Word rules sharing a scope and field are matched as one set from this many on: below it,
# each one's LIKE prefilter (in C) is cheaper than splitting every text into words.
WORDSET_MIN = 8


def match_sql(rule: Rule, alias: str = "e") -> tuple[str, list[object]]:
    """WHERE fragment: the entry matches the rule's `match` (negation applied, scope not)."""
    fields = FIELDS if rule.field == "any" else (rule.field,)
    parts: list[str] = []
    params: list[object] = []
    for f in fields:
        column = f"{alias}.{COLUMNS[f]}"
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


def scope_sql(rule: Rule, alias: str = "e") -> tuple[str, list[object]]:
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


def hidden_sql(rules: Sequence[Rule], alias: str = "e") -> tuple[str, list[object]]:
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


def _scoped_terms(rules: Sequence[Rule], alias: str) -> list[tuple[str, list[object]]]:
    """`(scope AND match)` per rule, with many plain word rules of one scope and field merged."""
    groups: dict[tuple[object, ...], list[Rule]] = {}
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


def _words_sql(group: list[Rule], alias: str) -> tuple[str, list[object]]:
    key = words_key([r.words for r in group if r.words is not None])
    fields = FIELDS if group[0].field == "any" else (group[0].field,)
    parts = [f"rulewords(?, {alias}.{COLUMNS[f]})" for f in fields]
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

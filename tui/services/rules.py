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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tui.store.listing import RulesSQL
from tui.store.rulematch import (
    compile_error,
    compiled,
    nested_repeat,
    phrase_words,
    search,
    words_key,
    words_match,
)
from tui.store.rulesql import RULE_COLUMNS

# The same in SQL: the store renders it (tui.store.rulesql); re-exported for its callers.
from tui.store.rulesql import hidden_sql as hidden_sql
from tui.store.rulesql import match_sql as match_sql
from tui.store.rulesql import register_sql as register_sql
from tui.store.rulesql import scope_sql as scope_sql

FIELDS = ("title", "summary", "content", "author", "link")
ACTIONS = ("hide", "read", "star", "keep-only")
_KEYS = {"match", "field", "sources", "folders", "action", "name"}
COLUMNS = RULE_COLUMNS  # the column behind each rule field (the store's word)


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


def rules_sql(rules: list[Rule]) -> RulesSQL | None:
    """The WHERE that finds what `rules` hide, or None when they hide nothing."""
    sql, params = hidden_sql(rules)
    return None if sql == "0" else (sql, tuple(params))

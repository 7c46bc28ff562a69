"""The rules' matchers, shared by SQL (functions the Store installs) and Python.

Two kinds, both bounded in time whatever the rule says:
- a /regex/ runs on the `regex` engine with a per-call timeout and with the GIL released while it
  matches (the reader keeps painting); a pattern that once runs out of time is switched off for
  the process and named by `too_slow()`. Patterns that nest repeats (`(a+)+`), the classic
  catastrophic kind, are refused when the rule is read (`nested_repeat`).
- many plain words and phrases are one set (`words_match`): the text is split into words once
  and each is looked up, so a thousand word rules cost what one does (a thousand REGEXP calls,
  or a thousand ORs, do not: SQLite refuses an expression tree that deep).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# One call of a rule's pattern on one text. A text is an entry's title, summary or content.
REGEX_TIMEOUT = 0.05
_too_slow: set[str] = set()
_WORD = re.compile(r"\w+")
# Every ASCII character that is not a word character (\w), as a space.
_ASCII_SEPARATORS = str.maketrans(
    {chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")}
)


@lru_cache(maxsize=4096)
def compiled(pattern: str) -> Any:
    """A rule's pattern, compiled once (the `regex` engine: same syntax as `re`; imported on
    first use, off the start path)."""
    import regex  # type: ignore[import-untyped]

    return regex.compile(pattern)


def compile_error(pattern: str) -> str | None:
    """Why a pattern does not compile, or None."""
    import regex

    try:
        compiled(pattern)
    except (re.error, regex.error) as exc:
        return str(exc)
    return None


def search(pattern: str, text: str) -> bool:
    """Does the pattern match anywhere in the text, within the time bound? A pattern that ran
    out of time matches nothing from then on (reported by `too_slow`)."""
    if pattern in _too_slow:
        return False
    try:
        return compiled(pattern).search(text, concurrent=True, timeout=REGEX_TIMEOUT) is not None
    except TimeoutError:
        _too_slow.add(pattern)
        return False


def regexp(pattern: str, value: object) -> int:
    """SQLite's `value REGEXP pattern` (the Store installs it): 0 (never NULL) for NULL or
    non-text values."""
    return 1 if isinstance(value, str) and search(pattern, value) else 0


def install_functions(db: Any) -> None:
    """`x REGEXP p` and `rulewords(set, x)` for the rules' SQL on a connection, as the rules
    match in Python."""
    db.create_function("regexp", 2, regexp, deterministic=True)
    db.create_function("rulewords", 2, words_match, deterministic=True)


def too_slow() -> list[str]:
    """Patterns switched off this run because one match took longer than REGEX_TIMEOUT."""
    return sorted(_too_slow)


def nested_repeat(pattern: str) -> str | None:
    """A repeat whose body is another repeat and nothing that must match (`(a+)+`, `(a*)*`,
    `(\\w+\\s?)+`): the shape that backtracks for ever on a near match, since the text can be
    split between the two repeats in exponentially many ways. Returns the outer repeat's body
    as a hint, or None. `(\\.\\d+)*` is fine: its `.` must match on every round."""
    try:
        parsed = _stdlib("re._parser").parse(pattern)  # the stdlib's parser of `re` syntax
    except re.error:
        return None
    return _nested(parsed)


_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


def _children(op: str, arg: Any) -> list[Any]:
    if op in _REPEATS:
        return [arg[2]]
    if op in ("SUBPATTERN",):
        return [arg[-1]]
    if op == "BRANCH":
        return list(arg[1])
    if op in ("ASSERT", "ASSERT_NOT"):
        return [arg[1]]
    return []


def _nested(sub: Any) -> str | None:
    for op, arg in sub:
        name = str(op)
        if name in _REPEATS and arg[1] > 1 and _ambiguous(arg[2]):
            return "a repeat inside a repeat"
        for child in _children(name, arg):
            found = _nested(child)
            if found:
                return found
    return None


def _ambiguous(body: Any) -> bool:
    """Is the body an unbounded repeat with nothing else that must match?"""
    items = list(body)
    for i, (op, arg) in enumerate(items):
        rest = _stdlib("re._parser").SubPattern(body.state, items[:i] + items[i + 1 :])
        if rest.getwidth()[0] != 0:
            continue
        name = str(op)
        if name in _REPEATS and arg[1] > 1:
            return True
        if name == "SUBPATTERN" and _ambiguous(arg[-1]):
            return True
    return False


def _stdlib(name: str) -> Any:
    """One of `re`'s own private modules (its parser, its case tables): the only way to read a
    pattern or compare case exactly as `re` does."""
    import importlib

    return importlib.import_module(name)


# -- many words and phrases as one set --------------------------------------------------------


class _Folding(dict[int, int]):
    """Each character's case as `re`'s IGNORECASE compares it: the simple lower-case mapping
    (İ -> i, Kelvin sign -> k), then one member for the few that `re` also treats as one
    (s and ſ); filled per character on first use."""

    def __missing__(self, code: int) -> int:
        lower = int(_stdlib("_sre").unicode_tolower(code))
        folded = int(min((lower, *_stdlib("re._casefix")._EXTRA_CASES.get(lower, ()))))
        self[code] = folded
        return folded


_FOLD = _Folding()


def fold(text: str) -> str:
    return text.translate(_FOLD)


def phrase_words(text: str) -> tuple[str, ...] | None:
    """The case-folded words of a plain word or phrase rule (letters, digits, underscores and
    spaces only), or None for one that needs its pattern (`c++`, `node.js`)."""
    words = fold(text).split()
    if not words or not all(_WORD.fullmatch(w) for w in words):
        return None
    return tuple(words)


def words_key(phrases: list[tuple[str, ...]]) -> str:
    """The SQL parameter that names a set of phrases (one per line)."""
    return "\n".join(sorted({" ".join(p) for p in phrases}))


@lru_cache(maxsize=64)
def _phrases(key: str) -> tuple[frozenset[str], dict[str, list[tuple[str, ...]]]]:
    """(single words, phrases of several words by their first word) of a set's key."""
    singles: set[str] = set()
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for line in key.split("\n"):
        words = tuple(line.split())
        if len(words) == 1:
            singles.add(words[0])
        elif words:
            by_first.setdefault(words[0], []).append(words)
    return frozenset(singles), by_first


def _runs(text: str) -> list[list[str]]:
    """The (folded) text's words, in runs separated by anything but whitespace (a phrase's
    words stand apart by whitespace only, as its pattern's \\s+ says)."""
    runs: list[list[str]] = [[]]
    end = 0
    for m in _WORD.finditer(text):
        if runs[-1] and not text[end : m.start()].isspace():
            runs.append([])
        runs[-1].append(m.group())
        end = m.end()
    return runs


def words_match(key: str, value: object) -> int:
    """SQL `rulewords(key, value)`: 1 when the text holds any phrase of the set as whole words.
    The text's words are found once, in C, and looked up as a set: its length, not the number
    of rules, sets the cost."""
    if not isinstance(value, str) or not value:
        return 0
    singles, by_first = _phrases(key)
    if value.isascii():  # most text: ASCII's \\w is letters, digits and _, split in C
        text = value.lower()
        words: list[str] = text.translate(_ASCII_SEPARATORS).split()
    else:
        text = fold(value)
        words = _WORD.findall(text)
    if not singles.isdisjoint(words):
        return 1
    if not by_first or by_first.keys().isdisjoint(words):
        return 0
    for run in _runs(text):
        for i, word in enumerate(run):
            for phrase in by_first.get(word, ()):
                if tuple(run[i : i + len(phrase)]) == phrase:
                    return 1
    return 0

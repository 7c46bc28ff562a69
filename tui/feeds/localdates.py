"""Dates written in another language: `Seg, 24 Set 2018 19:42:40 -0300` (Portuguese),
`lun., 24 sept. 2018`, `Mo, 24. Sep 2018`, `24 de septiembre de 2018 19:42`.

Feeds are meant to write RFC 822 dates in English, and many write their own language's month
and day names instead. The day name says nothing the date does not, so it is dropped; the month
name becomes its English abbreviation and the date goes through the usual RFC 822 path. Month
names of Portuguese, Spanish, French, German, Italian and Dutch are known, and any unambiguous
abbreviation of them (`févr`, `Sept`, `Okt`).
"""

from __future__ import annotations

import re
import unicodedata

_MONTHS = [
    "january enero janeiro janvier januar janner gennaio januari",
    "february febrero fevereiro fevrier februar febbraio februari",
    "march marzo marco mars marz maart mrz",
    "april abril avril aprile",
    "may mayo maio mai maggio mei",
    "june junio junho juin juni giugno",
    "july julio julho juillet juli luglio",
    "august agosto aout augustus",
    "september septiembre setiembre setembro septembre settembre",
    "october octubre outubro octobre oktober ottobre",
    "november noviembre novembro novembre",
    "december diciembre dezembro decembre dezember dicembre",
]
_NAMES = {name: n for n, names in enumerate(_MONTHS, 1) for name in names.split()}
_ABBR = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_FILLER = {"de", "del", "der", "den", "le", "el", "a", "à", "um", "às", "alle", "h"}
_WORD = re.compile(r"[^\W\d_]+\.?")
_DAY_NAME = re.compile(r"^\s*[^\W\d_]+\.?\s*,\s*")  # "Seg, " "lun., " "Mo, "


def _plain(word: str) -> str:
    """Lower case, no accents, no trailing dot: `Févr.` -> `fevr`."""
    decomposed = unicodedata.normalize("NFKD", word.rstrip("."))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def month_number(word: str) -> int | None:
    """The month a name or an unambiguous abbreviation (3 letters or more) names, else None."""
    plain = _plain(word)
    if plain in _NAMES:
        return _NAMES[plain]
    if len(plain) < 3:
        return None
    found = {n for name, n in _NAMES.items() if name.startswith(plain)}
    return found.pop() if len(found) == 1 else None


def english_date(value: str) -> str | None:
    """`value` with its day name dropped and its month name in English, or None when it names
    no month this module knows (then it is not a localized date)."""
    text = _DAY_NAME.sub("", value)
    text = re.sub(r"(\d)\.(?=\s)", r"\1", text)  # German "24. Sep"
    month: int | None = None
    words: list[str] = []
    for token in text.split():
        if _WORD.fullmatch(token):
            number = None if month else month_number(token)
            if number:
                month = number
                words.append(_ABBR[number - 1])
                continue
            if _plain(token) in _FILLER:
                continue
        words.append(token.rstrip(","))
    return " ".join(words) if month else None

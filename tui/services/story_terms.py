"""Headline terms for story grouping: Unicode words, no stopwords, truncated to a common stem.

Language-neutral by design (no models, no per-language stemmer): words are NFKC-normalised and
casefolded, English possessives are dropped, and every word is cut to its first six characters.
Prefix truncation is a crude stemmer that works about as well as a real one for grouping in most
European languages ("tapering"/"taper", "bankruptcy"/"bankrupt", "Россия"/"России"). Scripts
written without spaces (Chinese, Japanese) give overlapping character pairs instead of words.
"""

from __future__ import annotations

import re
import unicodedata

STEM_LENGTH = 6

# English function words, plus the commonest articles and prepositions of the other languages
# feeds often come in (de, fr, es, it, pt, nl) where they are not English words too. Anything
# frequent that is missed here is weighed down by its document frequency anyway.
_STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours out
    over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself s t don isn aren wasn weren won
    says say said via new
    der die das den dem des ein eine einer eines einem und oder nicht mit von zu im ist sind auf
    für bei nach aus wie auch sich
    le la les un une des du et ou est sont dans pour par sur au aux avec ce cette ces qui que pas
    el los las una y o es son del con por para al lo se su sus
    il lo gli della di che per con nel nella sono
    os um uma da do das dos em no na nos nas ao pelo pela
    het een en van op te dat voor zijn niet met
    """.split()
)

_WORD = re.compile(r"\w+")
# Han, kana and the CJK compatibility block: scripts that do not separate words with spaces.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b")


def headline_terms(text: str) -> list[str]:
    """The distinct grouping terms of a headline, in first-seen order."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _POSSESSIVE.sub("", folded.replace("\u2019", "'"))
    seen: dict[str, None] = {}
    for word in _WORD.findall(folded):
        for term in _word_terms(word):
            seen.setdefault(term, None)
    return list(seen)


def _word_terms(word: str) -> list[str]:
    if _CJK.search(word):
        # Character pairs: a cheap stand-in for word segmentation that still matches names.
        if len(word) == 1:
            return [word]
        return [word[i : i + 2] for i in range(len(word) - 1)]
    # Numbers (years, prices, versions) are shared by unrelated stories more often than not.
    if word.isdigit() or len(word) < 2 or word in _STOPWORDS:
        return []
    return [word[:STEM_LENGTH]]

"""Subscription lists in and out: OPML 1.0/2.0 and newsboat `urls` files."""

from __future__ import annotations

import re
import shlex
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

from tui.textclean import clean_line, url_is_clean

if TYPE_CHECKING:  # lxml is imported when a file is read, not when the module is
    from lxml import etree


class ImportError_(ValueError):
    """The file is neither OPML nor a newsboat urls list."""


NOT_A_LIST = "not an OPML or urls file"
QUERY_FEED = "newsboat query feed (newsdesk has saved views instead: [[views]] in the config)"
EXEC_FEED = "newsboat exec feed (it runs a command)"
FILTER_FEED = "newsboat filter feed imported without its filter script"
MANY_TAGS = "feed with more than one tag: the first became the folder"
FOLDER_CASE = "folder name that differed only in case joined the first spelling"
MAX_DEPTH = 250  # folders nested deeper than this are not walked (libxml2 stops at 256)


@dataclass(frozen=True)
class Subscription:
    url: str
    title: str | None = None
    folder: str | None = None


@dataclass
class ImportResult:
    """What a subscription file holds: the feeds, what was skipped and why, and where the file
    broke off (a cut-off or too deeply nested OPML imports what came before; this says so)."""

    subscriptions: list[Subscription] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> how many
    problem: str | None = None
    unit: str = "line"  # what was skipped: a "line" of a urls file, an "outline" of OPML
    notes: Counter[str] = field(default_factory=Counter)  # imported, but not all of it

    def skipped_text(self) -> str | None:
        """`skipped 3 lines (2 not an http(s) URL, 1 newsboat query feed)`, or None."""
        total = sum(self.skipped.values())
        if not total:
            return None
        reasons = ", ".join(_counted(n, why) for why, n in self.skipped.most_common())
        return f"skipped {total} {self.unit}{'' if total == 1 else 's'} ({reasons})"

    def notes_text(self) -> list[str]:
        """What was imported differently from what the file said, one line per kind."""
        return [_counted(n, why) for why, n in self.notes.most_common()]


# reasons and notes are counted phrases; these are the ones whose noun changes in the plural
_PLURALS = {
    QUERY_FEED: "newsboat query feeds (newsdesk has saved views instead: [[views]] in the config)",
    EXEC_FEED: "newsboat exec feeds (they run a command)",
    FILTER_FEED: "newsboat filter feeds imported without their filter script",
    MANY_TAGS: "feeds with more than one tag: the first became the folder",
    FOLDER_CASE: "folder names that differed only in case joined the first spelling",
}


def _counted(n: int, phrase: str) -> str:
    return f"{n} {phrase if n == 1 else _PLURALS.get(phrase, phrase)}"


def read_subscriptions(data: bytes, folders: Iterable[str] = ()) -> ImportResult:
    """Parse OPML (nested outlines become folders) or a newsboat urls file (tags become
    folders). Only http(s) URLs become sources; a file with none at all is refused. A folder
    named like one of `folders` (the cache's) or an earlier one but for case takes that name."""
    head = data.lstrip()[:512].lower()
    if head.startswith(b"<") and (b"<opml" in data[:4096].lower() or head.startswith(b"<?xml")):
        result = _read_opml(data)
    else:
        result = _read_urls(data.decode("utf-8", errors="replace"))
    if not result.subscriptions:
        why = f"no {result.unit} holds an http(s) feed URL"
        if result.skipped:
            why += f"; {result.skipped_text()}"
        raise ImportError_(f"{NOT_A_LIST}: {result.problem or why}")
    _join_folder_spellings(result, folders)
    return result


def _join_folder_spellings(result: ImportResult, folders: Iterable[str]) -> None:
    known = {f.casefold(): f for f in folders}
    subs = []
    for sub in result.subscriptions:
        if sub.folder:
            first = known.setdefault(sub.folder.casefold(), sub.folder)
            if first != sub.folder:
                result.notes[FOLDER_CASE] += 1
                sub = Subscription(sub.url, sub.title, first)
        subs.append(sub)
    result.subscriptions = subs


def url_problem(url: str) -> str | None:
    """Why this cannot be a feed URL, or None."""
    if not url.lower().startswith(("http://", "https://")):
        return "not an http(s) URL"
    if not url_is_clean(url):
        return "control or space characters in the URL"
    try:
        host = urlsplit(url).hostname
    except ValueError:
        host = None
    return None if host else "no host in the URL"


def _read_opml(data: bytes) -> ImportResult:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ImportError_(f"{NOT_A_LIST}: not valid OPML ({clean_line(str(exc), 200)})") from None
    if root is None or not isinstance(root.tag, str) or root.tag.lower() != "opml":
        raise ImportError_(f"{NOT_A_LIST} (no <opml> root)")
    result = ImportResult(unit="outline")
    body = root.find("body")
    if body is not None:
        _walk_outlines(body, [], result, 0)
    errors = [e for e in parser.error_log if e.level >= 3]  # ERROR and FATAL
    if errors:
        first = errors[0]
        result.problem = (
            f"the file is cut off or malformed at line {first.line} "
            f"({clean_line(first.message, 120)}): what follows was not imported"
        )
    return result


def _walk_outlines(
    node: etree._Element, folders: list[str], result: ImportResult, depth: int
) -> None:
    if depth > MAX_DEPTH:
        result.problem = f"folders nested deeper than {MAX_DEPTH} levels were not imported"
        return
    for outline in node.iterfind("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        title = clean_line(outline.get("title") or outline.get("text"), 300) or None
        if url:
            _add(result, url, title, "/".join(folders) or None)
        else:
            _walk_outlines(outline, folders + [title] if title else folders, result, depth + 1)


def _add(result: ImportResult, url: str, title: str | None, folder: str | None) -> None:
    problem = url_problem(url)
    if problem:
        result.skipped[problem] += 1
    else:
        result.subscriptions.append(Subscription(url, title, clean_line(folder, 300) or None))


def _read_urls(text: str) -> ImportResult:
    result = ImportResult()
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            parts = shlex.split(line, comments=True)
        except ValueError:
            parts = line.split()
        if not parts:
            continue
        url, tags = parts[0], parts[1:]
        if url.startswith("filter:"):
            # filter:SCRIPT:URL: the feed is imported, its filter script is not run
            found = re.search(r":(https?://.*)$", url[len("filter:") :], re.I)
            if found:
                result.notes[FILTER_FEED] += 1
                url = found.group(1)
        if url.startswith(("query:", "exec:", "filter:")):
            result.skipped[QUERY_FEED if url.startswith("query:") else EXEC_FEED] += 1
            continue
        title = next((clean_line(t[1:], 300) for t in tags if t.startswith("~")), None)
        folders = [t for t in tags if not t.startswith(("~", "!"))]
        if len(folders) > 1:
            result.notes[MANY_TAGS] += 1
        _add(result, url, title or None, folders[0] if folders else None)
    return result


def write_opml(subs: list[Subscription], title: str = "newsdesk subscriptions") -> str:
    """OPML 2.0; folders become parent outlines so the file re-imports to the same set."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{_esc(title)}</title><dateCreated>{formatdate()}</dateCreated></head>",
        "  <body>",
    ]
    by_folder: dict[str | None, list[Subscription]] = {}
    for sub in subs:
        by_folder.setdefault(sub.folder, []).append(sub)
    for sub in by_folder.pop(None, []):
        lines.append("    " + _outline(sub))
    for folder, items in sorted(by_folder.items(), key=lambda kv: kv[0] or ""):
        folder = clean_line(folder, 300)
        lines.append(
            f"    <outline text={quoteattr(folder or '')} title={quoteattr(folder or '')}>"
        )
        lines.extend("      " + _outline(sub) for sub in items)
        lines.append("    </outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _outline(sub: Subscription) -> str:
    name = clean_line(sub.title, 300) or clean_line(sub.url, 2000)
    return (
        f'<outline type="rss" text={quoteattr(name)} title={quoteattr(name)} '
        f"xmlUrl={quoteattr(clean_line(sub.url, 8192))}/>"
    )


def _esc(text: str) -> str:
    return quoteattr(text)[1:-1]

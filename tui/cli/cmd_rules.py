"""`newsdesk rules add|list|remove|test`: the config's [[rules]] from the command line.

Rules are kept in the config file (the reader applies them at display time); `add` and `remove`
change only the [[rules]] table concerned and leave the rest of the file as it was.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tui.cli.output import Failure, UsageError, plural, print_json
from tui.services.context import Context
from tui.services.rules import (
    ACTIONS,
    FIELDS,
    Rule,
    RuleError,
    match_sql,
    parse_rule,
    parse_rules,
    scope_sql,
)
from tui.textclean import clean_line


def setup_rules(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="add a rule to the config")
    _match_options(add)
    add.add_argument("--action", choices=ACTIONS, default="hide", help="default: hide")
    add.add_argument("--source", action="append", default=[], metavar="URL", help="scope (glob)")
    add.add_argument("--folder", action="append", default=[], metavar="F", help="scope")
    add.add_argument("--name", metavar="N", help="a name to list and remove it by")
    add.add_argument("--json", action="store_true", help="print JSON for scripts")
    lst = sub.add_parser("list", help="list the rules (bad ones with their error)")
    lst.add_argument("--json", action="store_true", help="print JSON for scripts")
    rm = sub.add_parser("remove", help="remove a rule by name or number")
    rm.add_argument("rule", metavar="NAME|NUMBER")
    rm.add_argument("--json", action="store_true", help="print JSON for scripts")
    test = sub.add_parser("test", help="how many cached entries a match would catch")
    _match_options(test)
    test.add_argument("--source", action="append", default=[], metavar="URL", help="scope (glob)")
    test.add_argument("--folder", action="append", default=[], metavar="F", help="scope")
    test.add_argument("--json", action="store_true", help="print JSON for scripts")


def _match_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--match", required=True, metavar="M", help='a word, "a phrase" or /regex/')
    p.add_argument("--field", choices=(*FIELDS, "any"), default="any", help="default: any")


def run_rules(ctx: Context, args: argparse.Namespace) -> int:
    run = {"add": _add, "list": _list, "remove": _remove, "test": _test}[args.rules_command]
    return run(ctx, args)


def _add(ctx: Context, args: argparse.Namespace) -> int:
    from tui.settings.configfile import ConfigWriteError, append_array_table, rewrite

    spec: dict[str, Any] = {"match": args.match}
    if args.field != "any":
        spec["field"] = args.field
    if args.action != "hide":
        spec["action"] = args.action
    if args.source:
        spec["sources"] = args.source
    if args.folder:
        spec["folders"] = args.folder
    if args.name:
        spec["name"] = args.name
    rules = ctx.config().rules
    try:
        parse_rule(len(rules) + 1, spec)
    except RuleError as exc:
        raise UsageError(str(exc)) from None
    if args.name and any(isinstance(r, dict) and r.get("name") == args.name for r in rules):
        raise UsageError(f"there is already a rule named {args.name!r}")
    for warning in _empty_scopes(ctx, parse_rule(len(rules) + 1, spec)):
        print(f"newsdesk: warning: {warning}", file=sys.stderr)
    try:
        rewrite(ctx.config_file, lambda text: append_array_table(text, "rules", spec))
    except ConfigWriteError as exc:
        raise Failure(str(exc)) from None
    if args.json:
        print_json({"added": len(rules) + 1, "rule": spec, "config": str(ctx.config_file)})
    else:
        print(f"added rule {len(rules) + 1} to {ctx.config_file}")
    return 0


def _empty_scopes(ctx: Context, rule: Rule) -> list[str]:
    """A --source or --folder that names none of the sources there are (a typo would make a
    rule that never applies, silently)."""
    import re

    if not (rule.sources or rule.folders) or not ctx.db_exists():
        return []
    rows = ctx.store().sources()
    urls, folders = [str(r.url) for r in rows], {r.folder for r in rows}
    out = []
    for glob, pattern in zip(rule.sources, rule.scope_patterns, strict=True):
        if not any(re.search(pattern, url) for url in urls):
            out.append(f"--source {glob!r} matches none of your {plural(len(urls), 'source')}")
    out += [f"--folder {f!r} is not one of your folders" for f in rule.folders if f not in folders]
    return [clean_line(line, 300) for line in out]


def _rows(ctx: Context) -> list[dict[str, Any]]:
    raw = ctx.config().rules
    rules, errors = parse_rules(raw)
    by_number = {r.number: r for r in rules}
    out = []
    for number, item in enumerate(raw, start=1):
        rule = by_number.get(number)
        item = item if isinstance(item, dict) else {}
        error = None if rule else next((e for e in errors if _names(e, number, item)), "invalid")
        out.append(
            {
                "number": number,
                "name": item.get("name"),
                "match": item.get("match"),
                "field": rule.field if rule else item.get("field", "any"),
                "action": rule.action if rule else item.get("action", "hide"),
                "sources": list(rule.sources) if rule else item.get("sources"),
                "folders": list(rule.folders) if rule else item.get("folders"),
                "error": error,
            }
        )
    return out


def _names(error: str, number: int, item: dict[str, Any]) -> bool:
    name = item.get("name")
    return error.startswith(f"rule {number}:") or (bool(name) and f"{name!r}" in error)


def _list(ctx: Context, args: argparse.Namespace) -> int:
    rows = _rows(ctx)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("no rules")
    for r in rows:
        scope = ", ".join([*(r["sources"] or []), *(r["folders"] or [])]) or "everywhere"
        name = f" [{clean_line(str(r['name']), 60)}]" if r["name"] else ""
        line = f"{r['number']:>3}{name} {r['action']} {r['field']} ~ {r['match']!s} in {scope}"
        print(clean_line(line, 400))
        if r["error"]:
            print(f"     error: {clean_line(r['error'], 300)}")
    return 0


def _remove(ctx: Context, args: argparse.Namespace) -> int:
    from tui.settings.configfile import ConfigWriteError, remove_array_table, rewrite

    rows = _rows(ctx)
    which = args.rule.strip()
    found = [r for r in rows if (str(r["number"]) == which or r["name"] == which)]
    if not found:
        raise Failure(f"no rule {which!r} (see `newsdesk rules list`)")
    number = found[0]["number"]

    def edit(text: str) -> str:
        try:
            return remove_array_table(text, "rules", number - 1)
        except ValueError as exc:
            raise ConfigWriteError(f"{exc}; edit {ctx.config_file} by hand") from None

    try:
        rewrite(ctx.config_file, edit)
    except ConfigWriteError as exc:
        raise Failure(str(exc)) from None
    if args.json:
        print_json({"removed": number})
    else:
        print(f"removed rule {number}")
    return 0


def _test(ctx: Context, args: argparse.Namespace) -> int:
    from tui.store.counts import match_count
    from tui.store.rulematch import REGEX_TIMEOUT, too_slow

    spec: dict[str, Any] = {"match": args.match, "field": args.field}
    if args.source:
        spec["sources"] = args.source
    if args.folder:
        spec["folders"] = args.folder
    try:
        rule = parse_rule(1, spec)
    except RuleError as exc:
        raise UsageError(str(exc).removeprefix("rule 1: ")) from None
    where, params = match_sql(rule)
    scope, scope_params = scope_sql(rule)
    where, params = f"({where}) AND {scope}", [*params, *scope_params]
    count, examples = match_count(ctx.store(), where, params)
    slow = too_slow()
    if args.json:
        print_json(
            {
                "matches": count,
                "too_slow": bool(slow),
                "examples": [
                    {"id": r.id, "source": r.source_title, "title": r.title} for r in examples
                ],
            }
        )
        return 0
    print(f"{plural(count, 'cached entry', 'cached entries')} match")
    if slow:
        print(
            f"warning: {clean_line(args.match, 200)} took over {REGEX_TIMEOUT * 1000:g} ms on "
            "one entry and was switched off: the count may be short; simplify the pattern"
        )
    for row in examples:
        source = clean_line(row.source_title, 30)
        print(f"  {row.id:>6} {source:30}  {clean_line(row.title, 200)}")
    return 0


COMMANDS = {
    "rules": (setup_rules, run_rules, "rules that hide, mark read or star entries"),
}

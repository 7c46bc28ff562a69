"""How the house is built, counted from the source (issue 21): `python bench/house.py`.

- app methods: functions defined on the reader's App class and on every tui class it derives
  from (its mixins), found by AST, so a mixin counts wherever it lives.
- string-key row reads outside tui/store: `x["name"]` loads whose key is a column of the cache
  (or an alias the store's SELECTs give), in tui/ but not in tui/store. A JSON dict read by a
  key that happens to be a column name ("title", "link") counts too: an upper bound.
- SQL outside tui/store: modules outside tui/store holding a string constant that reads as SQL.
- ui imports of core layers: import statements (function-level included) in tui/ui naming
  tui.store, tui.net, tui.feeds, tui.extract or tui.sync.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TUI = ROOT / "tui"
CORE = ("tui.store", "tui.net", "tui.feeds", "tui.extract", "tui.sync")
SQL = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
    r"CREATE\s+(TABLE|INDEX|VIRTUAL)|WHERE\s|JOIN\s|\b[a-z]\.[a-z_]+\s+(IN|IS|=|<|>)\s)",
    re.S,
)


def modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(TUI.rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        found[name] = ast.parse(path.read_text(), str(path))
    return found


def _classes(mods: dict[str, ast.Module]) -> dict[str, ast.ClassDef]:
    return {
        node.name: node
        for tree in mods.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    }


def _base_names(cls: ast.ClassDef) -> list[str]:
    names = []
    for base in cls.bases:
        if isinstance(base, ast.Subscript):
            base = base.value
        if isinstance(base, ast.Name):
            names.append(base.id)
        elif isinstance(base, ast.Attribute):
            names.append(base.attr)
    return names


def app_methods(mods: dict[str, ast.Module], app: str = "NewsdeskApp") -> tuple[int, list[str]]:
    """Functions on the app class and its tui base classes (mixins), each name once."""
    classes = _classes(mods)
    seen: set[str] = set()
    names: set[str] = set()
    todo = [app]
    while todo:
        name = todo.pop()
        if name in seen or name not in classes:
            continue  # Textual's own classes are not ours to count
        seen.add(name)
        cls = classes[name]
        for node in cls.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names.add(node.name)
        todo.extend(_base_names(cls))
    return len(names), sorted(seen)


def columns() -> set[str]:
    """The cache's column names and the store's SELECT aliases: the keys a row is read by."""
    text = "\n".join(p.read_text() for p in (TUI / "store").glob("*.py"))
    names = set(re.findall(r"^\s+([a-z_]+) (?:INTEGER|TEXT|REAL)", text, re.M))
    names |= set(re.findall(r"ADD COLUMN ([a-z_]+)", text))
    return names | set(re.findall(r"\bAS ([a-z_]+)", text))


def string_key_reads(mods: dict[str, ast.Module]) -> dict[str, int]:
    cols = columns()
    counts: dict[str, int] = {}
    for name, tree in mods.items():
        if name.startswith("tui.store"):
            continue
        n = sum(
            1
            for node in ast.walk(tree)
            if isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and isinstance(node.slice, ast.Constant)
            and node.slice.value in cols
        )
        if n:
            counts[name] = n
    return counts


def row_leaks(mods: dict[str, ast.Module]) -> tuple[int, int]:
    """Outside tui/store: mentions of sqlite3.Row (an annotation, a cast), and calls of a
    store's raw `query` (it returns sqlite3.Row). With both at 0 and mypy --strict clean, no
    string-key read of a sqlite3.Row is left outside the store: the store hands out typed rows,
    and mypy refuses `row["name"]` on them."""
    mentions = calls = 0
    for name, tree in mods.items():
        if name.startswith("tui.store"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "Row":
                mentions += isinstance(node.value, ast.Name) and node.value.id == "sqlite3"
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                receiver = ast.unparse(node.func.value)
                calls += node.func.attr == "query" and "store" in receiver
    return mentions, calls


def sql_outside_store(mods: dict[str, ast.Module]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name, tree in mods.items():
        if name.startswith("tui.store"):
            continue
        n = 0
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                n += bool(SQL.search(node.value))
            elif isinstance(node, ast.JoinedStr):
                text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
                n += bool(SQL.search(text))
        if n:
            counts[name] = n
    return counts


def ui_core_imports(mods: dict[str, ast.Module]) -> list[str]:
    found = []
    for name, tree in mods.items():
        if not name.startswith("tui.ui"):
            continue
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                targets = [node.module]
            for t in targets:
                if t.startswith(CORE):
                    found.append(f"{name}:{node.lineno} {t}")
    return found


def main() -> int:
    mods = modules()
    n, classes = app_methods(mods)
    reads = string_key_reads(mods)
    sql = sql_outside_store(mods)
    imports = ui_core_imports(mods)
    verbose = "-v" in sys.argv
    print(f"app methods (mixins included): {n}  [{', '.join(classes)}]")
    n, classes = app_methods(mods, "ReaderScreen")
    print(f"reader screen methods (its layers included): {n}  [{', '.join(classes)}]")
    print(f"string-key subscript reads outside tui/store: {sum(reads.values())}")
    if verbose:
        for k, v in sorted(reads.items(), key=lambda kv: -kv[1]):
            print(f"    {v:4}  {k}")
    mentions, calls = row_leaks(mods)
    print(f"sqlite3.Row outside tui/store: {mentions} mentions, {calls} raw store.query calls")
    print(f"modules with SQL outside tui/store: {len(sql)}  {sorted(sql)}")
    print(f"tui/ui imports of store/net/feeds/extract/sync: {len(imports)}")
    if verbose:
        for line in imports:
            print(f"    {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`newsdesk completion bash|zsh`: a shell completion script generated from the parser itself,
so it never falls behind the commands."""

from __future__ import annotations

import argparse

from tui.services.context import Context


def setup(p: argparse.ArgumentParser) -> None:
    p.add_argument("shell", choices=("bash", "zsh"), help="the shell to complete for")


def run(ctx: Context, args: argparse.Namespace) -> int:
    # the parser that parsed these arguments: importing it here would be an import cycle
    print(script(args.root_parser))
    return 0


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return sorted(o for a in parser._actions for o in a.option_strings if o.startswith("--"))


def script(parser: argparse.ArgumentParser) -> str:
    """A bash function (zsh runs it through bashcompinit) completing commands and options."""
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    cases = "\n".join(
        f'        {name}) opts="{" ".join(_options(p))}" ;;' for name, p in sub.choices.items()
    )
    return f"""# newsdesk completion: eval "$(newsdesk completion bash)"
# (zsh: autoload -U +X bashcompinit && bashcompinit, then the same line)
_newsdesk() {{
    local cur cmd opts word
    cur="${{COMP_WORDS[COMP_CWORD]}}"
    cmd=""
    for word in "${{COMP_WORDS[@]:1:COMP_CWORD-1}}"; do
        case "$word" in -*) ;; *) cmd="$word"; break ;; esac
    done
    case "$cmd" in
{cases}
        *) opts="{" ".join(sub.choices)} {" ".join(_options(parser))}" ;;
    esac
    case "$cur" in
        -*|"") COMPREPLY=( $(compgen -W "$opts" -- "$cur") ) ;;
        *) [ -z "$cmd" ] && COMPREPLY=( $(compgen -W "$opts" -- "$cur") ) \\
               || COMPREPLY=( $(compgen -f -- "$cur") ) ;;
    esac
}}
complete -F _newsdesk newsdesk"""


COMMANDS = {
    "completion": (setup, run, "print a shell completion script (bash, zsh)"),
}

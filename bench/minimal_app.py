"""The reference for start-up: the smallest Textual app that paints something (Header + Static).

python bench/minimal_app.py
"""

from textual.app import App, ComposeResult
from textual.widgets import Header, Static

MARKER = "Minimal marker text"


class MinimalApp(App):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(MARKER)


if __name__ == "__main__":
    MinimalApp().run()

"""One start-up, run in a fresh process by bench.run (figure 2).

    python -m bench.startup_child bare        # Header, Input, DataTable, Footer; exits on mount
    python -m bench.startup_child ours DB     # ZhangguiApp on DB, logged in, exits once the
                                              # sale screen is mounted and has refreshed

The parent times the process from spawn to exit and reads its peak RSS from wait4().
"""

from __future__ import annotations

import sys


def run_bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header, Input

    class BareApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Input()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            self.exit()

    BareApp().run(headless=True)


def run_ours(db_path: str) -> None:
    from store.context import load, open_store
    from store.models import Staff
    from tui import app as app_module
    from tui.app import ZhangguiApp
    from tui.screens.sale import SaleScreen

    class FirstRefreshSaleScreen(SaleScreen):
        # Textual calls every on_mount along the MRO: SaleScreen's own runs after this one,
        # and the exit is queued until the screen's first refresh after that.
        def on_mount(self) -> None:
            self.call_after_refresh(self.app.exit)

    # ZhangguiApp.start_selling builds the screen by this module-level name; pointing it at the
    # subclass keeps the app's real start-up path (push, reprint check) untouched.
    app_module.SaleScreen = FirstRefreshSaleScreen  # type: ignore[attr-defined]

    config = load(None)  # as `zhanggui` does: the default config, if any
    ctx = open_store(config, db_path)
    try:
        member = Staff.select().where(Staff.active == True).order_by(Staff.code).first()  # noqa: E712
        if member is None:
            raise SystemExit("no active staff in the database")
        ZhangguiApp(ctx, staff=member).run(headless=True)
    finally:
        ctx.close()


def main(argv: list[str]) -> None:
    if argv[:1] == ["bare"]:
        run_bare()
    elif argv[:1] == ["ours"] and len(argv) == 2:
        run_ours(argv[1])
    else:
        raise SystemExit("usage: python -m bench.startup_child bare | ours DB")


if __name__ == "__main__":
    main(sys.argv[1:])

"""What every command shares: it opens only an existing store (never creating one from a
mistyped --db), takes --db/--config before or after the command, bounds every number and
date a person types, reads the command line as text, and answers bad input with one sentence
instead of a traceback."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from store.context import load, open_store
from store.crm.records import create_customer
from store.db.connection import open_database
from store.kernel import dates
from store.kernel.errors import DatabaseUnavailable, ValidationError, ZhangguiError
from store.kernel.i18n import set_language
from store.models import Product, SalesTarget, StockMovement
from store.people import roster, targets
from tests.conftest import Shop
from tests.store_helpers import forge_approval
from tui.cli import main
from tui.cli.common import CommandLine, decode_args
from tui.cli.param_types import Whole

# The only commands that may make a store: the demo (and the bare console, not a subcommand);
# and head office's database is made by registering its first store.
CREATORS = {("demo",), ("hq", "store", "add")}
ZHANG_SAN_GBK = "张三".encode("gbk").decode("utf-8", "surrogateescape")  # as Python reads GBK argv


@pytest.fixture
def store_file(db_path: Path) -> Path:
    database = open_database(db_path)
    shop = Shop()
    create_customer("13800138000", "张三", consent_how="paper", by=shop.manager.id)
    database.close()
    return db_path


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def no_traceback(result: Result) -> bool:
    """The command ended by exiting (a message), not by an exception escaping it."""
    return (result.exception is None or isinstance(result.exception, SystemExit)) and (
        "Traceback" not in result.output
    )


def leaf_commands(
    group: click.Group, prefix: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], click.Command]]:
    found: list[tuple[tuple[str, ...], click.Command]] = []
    ctx = click.Context(group)
    for name in sorted(group.list_commands(ctx)):  # the top level loads its commands lazily
        command = group.get_command(ctx, name)
        assert command is not None, name
        path = (*prefix, name)
        if isinstance(command, click.Group):
            found.extend(leaf_commands(command, path))
        else:
            found.append((path, command))
    return found


def sample(param: click.Parameter, tmp_path: Path) -> str:
    """A valid value for ``param``, so the command gets as far as opening the store."""
    kind = param.type
    if isinstance(kind, click.Choice):
        return str(kind.choices[0])
    example = getattr(kind, "example", "")
    if example:
        return str(example)
    if isinstance(kind, click.Path):
        if kind.exists:
            existing = tmp_path / "input.txt"
            existing.write_text("sku,brand,model,category,price\n", encoding="utf-8")
            return str(existing)
        return str(tmp_path / "output.txt")
    if isinstance(kind, click.types.IntParamType):
        return "1"
    return "X1"


def required_args(command: click.Command, tmp_path: Path) -> list[str]:
    args: list[str] = []
    for param in command.params:
        if isinstance(param, click.Argument):
            if param.required:
                args.append(sample(param, tmp_path))
        elif isinstance(param, click.Option) and (param.required or param.prompt) and not param.is_flag:
            args += [param.opts[0], sample(param, tmp_path)]
    return args


LEAVES = [path for path, _command in leaf_commands(main) if path not in CREATORS]


def test_the_walk_finds_the_commands() -> None:
    assert {("audit", "verify"), ("customers", "find"), ("promoters", "target"), ("roster",)} <= set(LEAVES)
    assert ("demo",) not in LEAVES


@pytest.mark.parametrize("before", [False, True], ids=["db-after", "db-before"])
@pytest.mark.parametrize("path", LEAVES, ids=" ".join)
def test_every_command_refuses_a_missing_database_and_creates_nothing(
    path: tuple[str, ...], before: bool, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder" / "typo.db"
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        command = command.get_command(click.Context(command), name)  # type: ignore[assignment]
        assert command is not None
    args = [*path, *required_args(command, tmp_path)]
    db = ["--db", str(missing)]
    result = run(*db, *args) if before else run(*args, *db)
    assert result.exit_code != 0, result.output
    kind = "head-office" if path[0] == "hq" else "store"
    assert f"No {kind} database at {missing}" in result.output
    assert no_traceback(result), result.output
    assert not missing.exists() and not missing.parent.exists()


def test_the_default_database_is_not_created_either(tmp_path: Path) -> None:
    result = run("customers", "find", "zs")
    default = tmp_path / "xdg-data" / "zhanggui" / "store.db"
    assert result.exit_code == 1 and f"No store database at {default}" in result.output
    assert not default.exists() and not default.parent.exists()


def test_an_empty_file_or_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    result = run("audit", "verify", "--db", str(empty))
    assert result.exit_code == 1 and f"{empty} holds no zhanggui store" in result.output
    assert empty.stat().st_size == 0 and not Path(f"{empty}-wal").exists()

    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    conn.close()
    before = foreign.read_bytes()
    result = run("customers", "find", "zs", "--db", str(foreign))
    assert result.exit_code == 1 and f"{foreign} holds no zhanggui store" in result.output
    assert foreign.read_bytes() == before  # not switched to WAL, not migrated

    text = tmp_path / "pricelist.csv"
    text.write_text("sku,brand\n" * 50, encoding="utf-8")
    result = run("audit", "verify", "--db", str(text))
    assert result.exit_code == 1 and f"{text} is not a store database" in result.output

    result = run("audit", "verify", "--db", str(tmp_path / "."))
    assert result.exit_code != 0 and no_traceback(result)


def test_a_store_never_set_up_is_refused(db_path: Path) -> None:
    open_database(db_path).close()  # the schema only: the console quit before its set-up
    result = run("audit", "verify", "--db", str(db_path))
    assert result.exit_code == 1 and f"{db_path} holds no store yet" in result.output
    with pytest.raises(DatabaseUnavailable, match="holds no store yet"):
        open_store(load(None), db_path, create=False)
    open_store(load(None), db_path).close()  # the console's first start still opens it


def test_the_refusal_is_in_the_shops_language(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[ui]\nlanguage = "zh_CN"\n', encoding="utf-8")
    missing = tmp_path / "typo.db"
    # A bad value is refused before the command reads its config: still the shop's language.
    set_language("en")
    result = run("--config", str(config), "roster", "--week", "9999-W52", "--db", str(missing))
    assert result.exit_code == 1 and "--week：9999-W52：年份必须在 2000 到 2100 之间。" in result.output
    set_language("en")
    result = run("care", "--days", "0", f"--config={config}")
    assert result.exit_code == 1 and "--days 应为 1 到" in result.output
    set_language("en")
    result = run("audit", "verify", "--db", str(missing), "--config", str(config))
    assert result.exit_code == 1 and f"{missing} 没有门店数据库" in result.output


def test_options_before_the_command_apply_to_it(store_file: Path, tmp_path: Path) -> None:
    default = tmp_path / "xdg-data" / "zhanggui" / "store.db"
    result = run("--db", str(store_file), "customers", "find", "zs")
    assert result.exit_code == 0 and "张三" in result.output, result.output
    assert not default.exists() and not default.parent.exists()

    # The command's own option wins over one before it, and both over ZHANGGUI_DB.
    typo = tmp_path / "typo.db"
    result = run("--db", str(typo), "customers", "find", "zs", "--db", str(store_file))
    assert result.exit_code == 0 and "张三" in result.output
    result = run("--db", str(store_file), "customers", "find", "zs", env={"ZHANGGUI_DB": str(typo)})
    assert result.exit_code == 0 and "张三" in result.output
    result = run("customers", "find", "zs", env={"ZHANGGUI_DB": str(store_file)})
    assert result.exit_code == 0 and "张三" in result.output
    assert not typo.exists()

    bad = tmp_path / "bad.toml"
    bad.write_text('[discounts]\npromoter = "ten"\n', encoding="utf-8")
    result = run("--config", str(bad), "customers", "find", "zs", "--db", str(store_file))
    assert result.exit_code == 1 and "discounts" in result.output and no_traceback(result)
    result = run("--config", str(tmp_path / "none.toml"), "--db", str(store_file), "audit", "verify")
    assert result.exit_code == 1 and "config file not found" in result.output


def test_demo_takes_the_db_before_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []

    def build_demo(*args: object, **kwargs: object) -> None:
        built.append("yes")
        raise ValidationError("stop here")

    monkeypatch.setattr("store.demo.build_demo", build_demo)
    target = tmp_path / "new" / "demo.db"
    result = run("--db", str(target), "demo")
    assert result.exit_code == 1 and "stop here" in result.output
    assert built == ["yes"] and target.exists()  # demo may create its store, where it was told


# ---- item 11: crashes become one sentence, and nothing is written ----


def test_a_csv_field_over_the_csv_limit_names_its_line(store_file: Path, tmp_path: Path) -> None:
    csv_file = tmp_path / "pricelist.csv"
    long_field = "x" * 140_000
    csv_file.write_text(
        "sku,brand,model,category,price\n"
        "A1,Generic,Cable,accessory,9\n"
        f'A2,Generic,"{long_field}",accessory,9\n',
        encoding="utf-8",
    )
    result = run(
        "products", "import", str(csv_file), "--staff", "M1", "--pin", "1234", "--db", str(store_file)
    )
    assert result.exit_code == 1 and no_traceback(result)
    assert "Line 3: a field is longer than 128 KB" in result.output
    database = open_database(store_file)
    try:
        assert not Product.select().where(Product.sku.in_(["A1", "A2"])).exists()
    finally:
        database.close()


def test_gbk_arguments_are_read_as_gb18030() -> None:
    assert decode_args(["customers", "find", ZHANG_SAN_GBK]) == ["customers", "find", "张三"]
    assert decode_args(["find", "张三"]) == ["find", "张三"]  # UTF-8 text is left alone


def test_a_gbk_argument_finds_the_customer(store_file: Path) -> None:
    result = run("customers", "find", ZHANG_SAN_GBK, "--db", str(store_file))
    assert result.exit_code == 0 and "张三" in result.output and no_traceback(result)


def test_an_argument_that_is_no_text_is_refused_by_number(store_file: Path) -> None:
    junk = b"\xff\xfe".decode("utf-8", "surrogateescape")
    args = ["adjust", "CASE-IP15", "--qty", "-1", "--reason", junk, "--staff", "M1", "--pin", "1234"]
    result = run(*args, "--db", str(store_file))
    assert result.exit_code == 1 and no_traceback(result)
    assert "Argument 6 (\\xff\\xfe) is neither UTF-8 nor GB18030 text" in result.output
    database = open_database(store_file)
    try:
        assert not StockMovement.select().where(StockMovement.kind == "adjust").exists()
    finally:
        database.close()


def test_a_non_utf8_file_name_that_exists_is_kept_as_the_disk_has_it(tmp_path: Path) -> None:
    name = "价格表.csv".encode("gbk")
    (tmp_path / name.decode("utf-8", "surrogateescape")).write_text("x", encoding="utf-8")
    arg = str(tmp_path / name.decode("utf-8", "surrogateescape"))
    assert decode_args([arg]) == [arg]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["care", "--date", "9999-12-31", "--days", "7"],
            "--date: 9999-12-31: the year must be from 2000 to 2100.",
        ),
        (["care", "--date", "0001-01-01"], "--date: 0001-01-01: the year must be from 2000 to 2100."),
        (["customers", "segments", "--date", "9999-12-31"], "the year must be from 2000 to 2100"),
        (["roster", "--week", "9999-W52"], "--week: 9999-W52: the year must be from 2000 to 2100."),
        (
            ["referrals", "report", "--month", "0000-01"],
            "--month: 0000-01: the year must be from 2000 to 2100.",
        ),
        (["promoters", "report", "--month", "9999-12"], "the year must be from 2000 to 2100"),
        (
            ["promoters", "leave", "P1", "--from", "9999-12-30", "--to", "9999-12-31", "--manager", "M1"],
            "--from: 9999-12-30: the year must be from 2000 to 2100.",
        ),
        (
            [
                "promoters",
                "target",
                "--month",
                "2099-01",
                "--units",
                "99999999999999999999",
                "--manager",
                "M1",
            ],
            "--units is a whole number from 0 to 100,000: 99999999999999999999",
        ),
        (
            [
                "promoters",
                "target",
                "--month",
                "2099-01",
                "--units",
                "9223372036854775807",
                "--manager",
                "M1",
            ],
            "--units is a whole number from 0 to 100,000: 9223372036854775807",
        ),
        (
            [
                "promoters",
                "target",
                "--month",
                "2099-01",
                "--amount",
                "99999999999999999999",
                "--manager",
                "M1",
            ],
            "Not an amount",
        ),
        (
            ["receive", "CASE-IP15", "--qty", "99999999999999999999", "--staff", "M1"],
            "--qty is a whole number",
        ),
        (
            ["adjust", "CASE-IP15", "--qty", "-99999", "--reason", "x", "--staff", "M1"],
            "--qty is a whole number",
        ),
        (
            ["suppliers", "add", "S1", "x", "--lead-days", "1e9", "--staff", "M1"],
            "--lead-days is a whole number",
        ),
        (["demo", "--seed", "99999999999999999999"], "--seed is a whole number from 0 to 999,999,999"),
        (["care", "--days", "0"], "--days is a whole number from 1 to"),
        (["customers", "segments", "--top", "501"], "--top is a whole number from 0 to 500: 501"),
        (
            ["referrals", "invite", "--days", "99999999999999999999"],
            "--days is a whole number from 1 to 3,650",
        ),
    ],
    ids=lambda v: " ".join(v[:2]) if isinstance(v, list) else None,
)
def test_out_of_range_input_is_one_sentence_and_writes_nothing(
    store_file: Path, args: list[str], message: str
) -> None:
    before = store_file.read_bytes()
    result = (
        run(*args, "--pin", "1234", "--db", str(store_file))
        if "--manager" in args or "--staff" in args
        else run(*args, "--db", str(store_file))
    )
    assert result.exit_code == 1, result.output
    assert message in result.output and no_traceback(result)
    assert result.output.count("\n") == 1  # one line, no usage block
    assert store_file.read_bytes() == before
    database = open_database(store_file)
    try:
        assert not SalesTarget.select().exists()
    finally:
        database.close()


def test_a_sane_target_still_goes_through(store_file: Path) -> None:
    args = [
        "promoters",
        "target",
        "--month",
        "2099-01",
        "--units",
        "１,000",
        "--manager",
        "M1",
        "--pin",
        "1234",
    ]
    result = run(*args, "--db", str(store_file))
    assert result.exit_code == 0, result.output
    assert "Target for 2099-01: 1000 handsets" in result.output


def test_the_store_bounds_years_and_targets_itself(store_file: Path) -> None:
    for bad in ("9999-W52", "0000-W01", "1999-W10"):
        with pytest.raises(ValidationError, match="the year must be from 2000 to 2100"):
            roster.parse_week(bad)
    assert roster.parse_week("2100-W52") == "2100-W52"
    with pytest.raises(ValidationError, match="the year must be from 2000 to 2100"):
        targets.parse_month("0000-01")
    assert targets.parse_month("2000-1") == "2000-01"
    with pytest.raises(ValidationError, match="the year must be from"):
        dates.parse_day("9999-12-31")
    with pytest.raises(ValidationError, match="Not a date"):
        dates.parse_day("2026-02-30")
    assert dates.parse_day("２０２６-１１-３０") == date(2026, 11, 30)
    database = open_database(store_file)
    boss = forge_approval("m", "Boss")
    try:
        with pytest.raises(ValidationError, match="at most 100,000 handsets"):
            targets.set_target(
                "2099-01",
                None,
                units=2**63 - 1,
                amount=0,
                approval=boss,
                today=date(2026, 1, 1),
            )
        with pytest.raises(ValidationError, match="A target is at most"):
            targets.set_target(
                "2099-01",
                None,
                units=0,
                amount=10**15,
                approval=boss,
                today=date(2026, 1, 1),
            )
        assert not SalesTarget.select().exists()
    finally:
        database.close()


def test_whole_numbers_accept_what_a_chinese_keyboard_types() -> None:
    kind = Whole(0, 100)
    assert kind.convert("１２", None, None) == 12
    assert kind.convert(" 1,0 ", None, None) == 10
    for bad in ("1.5", "", "ten", "101", "-1", "9" * 5000):
        with pytest.raises(click.ClickException, match="is a whole number from 0 to 100"):
            kind.convert(bad, None, None)


def test_a_store_error_escaping_a_command_is_one_line() -> None:
    @click.group(cls=CommandLine)
    def cli() -> None:
        pass

    @cli.command()
    def boom() -> None:
        raise ZhangguiError("the printer is out of paper")

    result = CliRunner().invoke(cli, ["boom"])
    assert result.exit_code == 1 and result.output == "Error: the printer is out of paper\n"

"""Packaging (issue 13): nothing can shadow our `tests`, the core install leaves the serial and
USB printer drivers to extras, every pin is exact, and the licence is declared."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import tests

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_tests_is_this_repositorys_package() -> None:
    assert Path(tests.__file__).resolve() == ROOT / "tests" / "__init__.py"
    assert [Path(p).resolve() for p in tests.__path__] == [ROOT / "tests"]


def test_no_installed_distribution_ships_a_top_level_tests_package() -> None:
    shipping = sorted(
        dist.metadata["Name"]
        for dist in importlib.metadata.distributions()
        if any(str(f).split("/")[0] == "tests" for f in dist.files or ())
    )
    assert shipping == []


def test_a_site_packages_tests_folder_first_on_the_path_does_not_shadow_ours(tmp_path: Path) -> None:
    """What python-barcode 0.16.1 did: a `tests` folder (no __init__) ahead of the repository."""
    (tmp_path / "tests" / "test_outputs").mkdir(parents=True)
    code = "import sys, tests; print(tests.__file__)"
    found = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": f"{tmp_path}:{ROOT}", "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(found).resolve() == ROOT / "tests" / "__init__.py"


def test_pytest_puts_the_repository_first() -> None:
    options = PYPROJECT["tool"]["pytest"]["ini_options"]
    assert options["pythonpath"] == ["."] and options["testpaths"] == ["tests"]


def test_the_core_install_leaves_serial_and_usb_to_extras() -> None:
    core = PYPROJECT["project"]["dependencies"]
    escpos = [d for d in core if d.startswith("python-escpos")]
    assert escpos == ["python-escpos>=3.1,<4"]
    assert not any(d.startswith(("pyserial", "pyusb")) for d in core)
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert extras["printer-serial"] == ["python-escpos[serial]>=3.1,<4"]
    assert extras["printer-usb"] == ["python-escpos[usb]>=3.1,<4"]


def test_every_constraint_is_an_exact_pin() -> None:
    lines = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    pins = [line for line in lines if line.strip() and not line.startswith("#")]
    assert pins and all("==" in p and not p.startswith("-") for p in pins)
    assert "python-barcode==0.16.1" not in pins


def test_the_licence_is_mit_and_ships() -> None:
    assert PYPROJECT["project"]["license"] == "MIT"
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "the zhanggui authors" in text


@pytest.mark.skipif(
    importlib.util.find_spec("serial") is not None or importlib.util.find_spec("usb") is not None,
    reason="a printer extra is installed here",
)
def test_without_the_printer_extras_a_serial_or_usb_printer_says_what_is_missing() -> None:
    from store.selling import printer

    with pytest.raises(printer.PrinterError, match="needs pyserial"):
        printer.print_receipt(b"x", "serial", "/dev/ttyUSB0")
    with pytest.raises(printer.PrinterError, match="needs pyusb"):
        printer.print_receipt(b"x", "usb", "0416:5011")

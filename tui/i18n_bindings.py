"""Binding descriptions are English msgids in BINDINGS (class attributes are built at import,
before the language is known); each node translates its own copy when it is created."""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from store.kernel.i18n import _


def translate_bindings(node: DOMNode) -> None:
    # Textual has no public way to change one node's bindings: ``DOMNode._bindings`` is its own
    # copy of the class's (tests/unit/test_textual_private_api.py fails when an upgrade changes it).
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [
            replace(
                b,
                description=_(b.description) if b.description else "",
                tooltip=_(b.tooltip) if b.tooltip else "",
            )
            for b in bindings
        ]

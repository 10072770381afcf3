"""The scan field: a keyboard-wedge scanner types a code and Enter, and the next code may follow
before the screen has looked the first one up.

A plain Input submits through its Enter binding, which runs only after the key has gone up to the
app and back: by then the next code's digits are already in the field and two codes become one
("unknown code 69701583412776970158341239"). Here Enter is taken in the field's own queue, in the
order the keys came: the code typed so far is cut off and posted, the field is empty for the next
one, and the screen handles the posted codes first in, first out.
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Input


class ScanInput(Input):
    class Scanned(Message):
        """One code, as typed before its Enter (not stripped; may be empty)."""

        def __init__(self, scan_input: ScanInput, code: str) -> None:
            super().__init__()
            self.scan_input = scan_input
            self.code = code

        @property
        def control(self) -> ScanInput:
            return self.scan_input

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            code, self.value = self.value, ""
            self.post_message(self.Scanned(self, code))
            return
        await super()._on_key(event)

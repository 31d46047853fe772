"""What the window does when the save in progress finishes, and whether it is closing.

One small state machine instead of four flags on the window (a pending callback, "closing",
"discarding" and the last answer to the unsaved-changes question)::

    OPEN ──wait_for_save(then)──────────────▶ WAIT_SAVED   (Save chosen, or close while saving)
    OPEN ──wait_for_save(then, anyway=True)─▶ WAIT_ANYWAY  (Discard chosen while a save runs)
    WAIT_* ──save_finished()──▶ OPEN, returning ``then`` to run, or REFUSED when WAIT_SAVED and
                                something is still unsaved (a read-only or failed photo)
    WAIT_* ──call_off()──▶ OPEN     (the question asked again and answered Cancel or Save)
    any ──close_now()──▶ CLOSING    (final: the close goes through without asking or waiting)

No Qt: the window asks, saves and shows messages; this only remembers what was decided.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum


class CloseState(Enum):
    OPEN = "open"  # nothing waits for a save
    WAIT_SAVED = "wait_saved"  # run the action when the save ends with everything saved
    WAIT_ANYWAY = "wait_anyway"  # run it when the save ends, whatever is left unsaved
    CLOSING = "closing"  # the window is going: close without asking again


class Answer(Enum):
    """The photographer's answer to "Save the unsaved changes first?" (or no need to ask)."""

    GO = "go"  # nothing unsaved that a running save will not write: go ahead
    DISCARD = "discard"  # go ahead, leaving the edits unsaved
    WAIT = "wait"  # not now: cancelled, or saving first (the action runs after the save)


REFUSED = object()  # save_finished: the action was waiting for everything to be saved, and not


class AfterSave:
    """The close/after-save state (see the module docstring for the transitions)."""

    def __init__(self) -> None:
        self.state = CloseState.OPEN
        self._then: Callable[[], None] | None = None

    @property
    def closing(self) -> bool:
        return self.state is CloseState.CLOSING

    @property
    def waiting(self) -> bool:
        return self.state in (CloseState.WAIT_SAVED, CloseState.WAIT_ANYWAY)

    def wait_for_save(self, then: Callable[[], None], *, anyway: bool = False) -> None:
        """Run ``then`` when the running save finishes (only if all is saved, unless
        ``anyway``); replaces whatever was waiting. Ignored once closing."""
        if self.closing:
            return
        self.state = CloseState.WAIT_ANYWAY if anyway else CloseState.WAIT_SAVED
        self._then = then

    def call_off(self) -> None:
        """Whatever was waiting for the save no longer happens."""
        if self.waiting:
            self.state = CloseState.OPEN
            self._then = None

    def close_now(self) -> None:
        self.state = CloseState.CLOSING
        self._then = None

    def save_finished(self, all_saved: bool) -> Callable[[], None] | object | None:
        """The save ended: the action to run now, ``REFUSED`` if it waited for everything to be
        saved and something is not, or None when nothing was waiting. Back to OPEN."""
        if not self.waiting:
            return None
        state, then = self.state, self._then
        self.state, self._then = CloseState.OPEN, None
        if state is CloseState.WAIT_ANYWAY or all_saved:
            return then
        return REFUSED

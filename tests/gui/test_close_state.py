"""The window's close/after-save state machine, one test per transition (issue 15)."""

from __future__ import annotations

from editor.gui.close_state import REFUSED, AfterSave, CloseState


def action(log: list[str], name: str):  # type: ignore[no-untyped-def]
    return lambda: log.append(name)


def test_starts_open_and_a_save_with_nothing_waiting_runs_nothing() -> None:
    state = AfterSave()
    assert state.state is CloseState.OPEN and not state.waiting and not state.closing
    assert state.save_finished(all_saved=True) is None
    assert state.state is CloseState.OPEN


def test_open_to_wait_saved_and_back_running_the_action_when_all_saved() -> None:
    log: list[str] = []
    state = AfterSave()
    state.wait_for_save(action(log, "close"))
    assert state.state is CloseState.WAIT_SAVED and state.waiting
    then = state.save_finished(all_saved=True)
    assert callable(then)
    then()
    assert log == ["close"] and state.state is CloseState.OPEN


def test_wait_saved_refuses_when_something_is_left_unsaved() -> None:
    state = AfterSave()
    state.wait_for_save(lambda: None)
    assert state.save_finished(all_saved=False) is REFUSED
    assert state.state is CloseState.OPEN
    assert state.save_finished(all_saved=True) is None  # the refusal used it up


def test_wait_anyway_runs_even_with_unsaved_photos() -> None:
    log: list[str] = []
    state = AfterSave()
    state.wait_for_save(action(log, "close"), anyway=True)
    assert state.state is CloseState.WAIT_ANYWAY
    then = state.save_finished(all_saved=False)
    assert callable(then)
    then()
    assert log == ["close"] and state.state is CloseState.OPEN


def test_waiting_again_replaces_the_action() -> None:
    log: list[str] = []
    state = AfterSave()
    state.wait_for_save(action(log, "open folder"), anyway=True)
    state.wait_for_save(action(log, "close"))
    assert state.state is CloseState.WAIT_SAVED
    then = state.save_finished(all_saved=True)
    assert callable(then)
    then()
    assert log == ["close"]


def test_call_off_returns_to_open_and_is_harmless_when_open_or_closing() -> None:
    state = AfterSave()
    state.wait_for_save(lambda: None)
    state.call_off()
    assert state.state is CloseState.OPEN
    assert state.save_finished(all_saved=True) is None
    state.call_off()
    assert state.state is CloseState.OPEN
    state.close_now()
    state.call_off()
    assert state.closing


def test_close_now_is_final_and_drops_what_waited() -> None:
    log: list[str] = []
    state = AfterSave()
    state.wait_for_save(action(log, "open folder"))
    state.close_now()
    assert state.state is CloseState.CLOSING and state.closing and not state.waiting
    state.wait_for_save(action(log, "late"))  # ignored once closing
    assert state.closing
    assert state.save_finished(all_saved=True) is None
    assert log == []

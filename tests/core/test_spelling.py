"""The speller: which words are flagged, suggestions, the personal list, extra words."""

from __future__ import annotations

import time
from pathlib import Path

from editor.core.spelling import Speller, word_at, words


def test_flags_misspelt_words_only() -> None:
    s = Speller()
    text = "Teh soldiers marhc past NASA's iPhone in the People’s park, 2024 o'clock"
    flagged = [text[a:b] for a, b in s.misspelt(text)]
    assert flagged == ["Teh", "marhc"]


def test_suggestions_most_common_first_in_the_words_case() -> None:
    s = Speller()
    assert s.suggestions("teh")[0] == "the"
    assert s.suggestions("Recieve")[0] == "Receive"
    started = time.monotonic()
    s.suggestions("internationalisatonx")  # distance 2 on a long word would take seconds
    assert time.monotonic() - started < 1.0


def test_personal_list_is_kept_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "dictionary.txt"
    s = Speller(personal_path=path)
    assert not s.is_correct("Mansudae")
    s.add_word("Mansudae")
    assert s.is_correct("mansudae") and s.is_correct("Mansudae")
    assert path.read_text(encoding="utf-8") == "mansudae\n"
    assert Speller(personal_path=path).is_correct("Mansudae")


def test_extra_words_and_languages() -> None:
    s = Speller()
    assert not s.is_correct("Whitworth")
    s.set_extra_words({"whitworth"})
    assert s.is_correct("Whitworth")
    assert not s.is_correct("Straße")
    assert s.set_language("de")
    assert s.is_correct("Straße")
    assert not s.set_language("de")
    assert not s.set_language("xx") or s.language == "en"


def test_words_and_word_at() -> None:
    assert [w for _, _, w in words("It's a dog-eared 3rd copy")] == [
        "It's", "a", "dog", "eared", "rd", "copy"
    ]
    assert word_at("hello world", 6) == (6, 11, "world")
    assert word_at("hello world", 5) == (0, 5, "hello")
    assert word_at("  ", 1) is None


def test_an_unwritable_personal_list_is_a_clear_error_and_the_word_stays_known(
    tmp_path: Path,
) -> None:
    import pytest

    from editor.core.errors import PhotoCaptionError

    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be")
    s = Speller(personal_path=blocker / "dictionary.txt")
    with pytest.raises(PhotoCaptionError, match="for this session only"):
        s.add_word("Mansudae")  # was an OSError reaching the crash handler
    assert s.is_correct("Mansudae")

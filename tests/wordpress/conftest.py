"""A real WordPress for the publish tests: one per session, started on first use."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.wordpress.wp_server import WordPressSite, WordPressUnavailable, start_site


@pytest.fixture(scope="session")
def wordpress() -> Iterator[WordPressSite]:
    try:
        site = start_site()
    except WordPressUnavailable as err:
        pytest.skip(f"no WordPress for the publish tests: {err}")
    try:
        yield site
    finally:
        site.stop()

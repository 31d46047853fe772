"""The digital source type vocabulary: terms, URIs, labels, clear errors."""

from __future__ import annotations

import pytest

from editor.core import vocabulary as v


def test_fifteen_terms_with_labels() -> None:
    assert len(v.DIGITAL_SOURCE_TYPES) == 15
    assert all(label.strip() for label in v.DIGITAL_SOURCE_TYPES.values())


def test_term_and_uri_resolve_to_uri() -> None:
    uri = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
    assert v.resolve_digital_source_type("digitalCapture") == uri
    assert v.resolve_digital_source_type(uri) == uri
    assert v.digital_source_type_label(uri).startswith("Original digital capture")


def test_unknown_term_error_lists_terms() -> None:
    with pytest.raises(ValueError, match="trainedAlgorithmicMedia"):
        v.resolve_digital_source_type("aiGenerated")


def test_country_codes() -> None:
    assert v.validate_country_code("de") == "DE"
    assert v.validate_country_code("fra") == "FRA"
    with pytest.raises(ValueError, match="ISO 3166"):
        v.validate_country_code("XX")
    assert ("NZ", "New Zealand") in v.country_code_matches("new z")

"""Controlled vocabularies for metadata fields: IPTC NewsCodes digital source types.

Used by the CLI (``--digital-source-type``) and later by the GUI dropdown. A value is stored
as the full NewsCodes URI; ``resolve_digital_source_type`` accepts a term or a full URI.
"""

from __future__ import annotations

DIGITAL_SOURCE_TYPE_PREFIX = "http://cv.iptc.org/newscodes/digitalsourcetype/"

# term -> plain-language label, in the order IPTC lists them.
DIGITAL_SOURCE_TYPES: dict[str, str] = {
    "digitalCapture": "Original digital capture (camera photo)",
    "negativeFilm": "Scan of a negative film",
    "positiveFilm": "Scan of a positive film (slide)",
    "print": "Scan of a print",
    "minorHumanEdits": "Human-edited, minor changes",
    "compositeCapture": "Composite of captured elements",
    "algorithmicallyEnhanced": "Algorithmically enhanced",
    "dataDrivenMedia": "Generated from data (data-driven media)",
    "digitalArt": "Digital art made by a person",
    "virtualRecording": "Virtual recording (e.g. of a game or virtual scene)",
    "compositeSynthetic": "Composite including synthetic elements",
    "trainedAlgorithmicMedia": "Created by generative AI",
    "compositeWithTrainedAlgorithmicMedia": "Composite with generative AI elements",
    "algorithmicMedia": "Created by an algorithm without training data",
    "screenCapture": "Screen capture",
}


def digital_source_type_uri(term: str) -> str:
    """The full NewsCodes URI of a known term."""
    return DIGITAL_SOURCE_TYPE_PREFIX + term


def resolve_digital_source_type(value: str) -> str:
    """The full URI for a term or a full URI; ValueError listing the terms otherwise."""
    text = value.strip()
    term = text.removeprefix(DIGITAL_SOURCE_TYPE_PREFIX)
    if term in DIGITAL_SOURCE_TYPES:
        return digital_source_type_uri(term)
    raise ValueError(
        f"unknown digital source type {value!r}; use one of: " + ", ".join(DIGITAL_SOURCE_TYPES)
    )


def digital_source_type_label(uri: str) -> str:
    """The plain-language label of a stored URI, or the URI itself when it is not a known term."""
    return DIGITAL_SOURCE_TYPES.get(uri.removeprefix(DIGITAL_SOURCE_TYPE_PREFIX), uri)


def country_code_matches(prefix: str) -> list[tuple[str, str]]:
    """ISO 3166 (alpha-2, name) pairs whose code or name starts with ``prefix`` (any case)."""
    import pycountry  # imported lazily: only completion and validation need it

    wanted = prefix.strip().casefold()
    return [
        (c.alpha_2, c.name)
        for c in pycountry.countries
        if c.alpha_2.casefold().startswith(wanted)
        or c.alpha_3.casefold().startswith(wanted)
        or c.name.casefold().startswith(wanted)
    ]


def validate_country_code(code: str) -> str:
    """The code upper-cased when it is an ISO 3166 alpha-2 or alpha-3 code; ValueError otherwise."""
    import pycountry

    text = code.strip().upper()
    if len(text) == 2 and pycountry.countries.get(alpha_2=text) is not None:
        return text
    if len(text) == 3 and pycountry.countries.get(alpha_3=text) is not None:
        return text
    raise ValueError(f"{code!r} is not an ISO 3166 alpha-2 or alpha-3 country code (e.g. US, DEU)")


def country_alpha3(code: str) -> str:
    """The ISO 3166 alpha-3 code for an alpha-2 or alpha-3 ``code`` (IIM 2:100 takes three
    letters); ``code`` unchanged when it is neither."""
    import pycountry

    text = code.strip().upper()
    if len(text) == 2:
        country = pycountry.countries.get(alpha_2=text)
        return str(country.alpha_3) if country is not None else code
    return code


def same_country_code(a: str, b: str) -> bool:
    """Whether two codes name the same country ("KR" and "KOR")."""
    if a.strip().upper() == b.strip().upper():
        return True
    return bool(a.strip()) and country_alpha3(a).upper() == country_alpha3(b).upper()


def checked_value(field_name: str, text: str) -> str:
    """``text`` as the field with a controlled vocabulary stores it (a NewsCodes URI, an
    upper-cased ISO code); ValueError naming what is allowed. Other fields, and "", unchanged."""
    check = {
        "digital_source_type": resolve_digital_source_type,
        "country_code": validate_country_code,
    }.get(field_name)
    return check(text) if check is not None and text.strip() else text

"""One editor widget per field, chosen from the field table (kind, vocabulary), and its label."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from editor.core.fields import FieldKind, FieldSpec
from editor.gui.panel.country import CountryCodeField
from editor.gui.panel.datetime_field import DateTimeField
from editor.gui.panel.fields import GpsField, LineField, ListField, TextField
from editor.gui.panel.keywords import KeywordsField
from editor.gui.panel.source_type import DigitalSourceTypeField
from editor.gui.panel.storage import field_tooltip

# Hints in the empty editors: a photographer sees what each field expects. Examples that could
# pass for real values ("© 2024 Jane Doe") say "e.g." (issue 15 defect 5).
PLACEHOLDERS = {
    "headline": "Brief synopsis",
    "title": "Short title",
    "caption": "Who, what, where, when",
    "alt_text": "What the photo shows",
    "extended_description": "Longer accessibility description",
    "caption_writer": "Initials",
    "keywords": "e.g. keyword; keyword",
    "persons_shown": "e.g. Name; name",
    "event": "Event name",
    "sublocation": "District, street or landmark",
    "country_code": "e.g. FR",
    "creator": "e.g. Photographer; second photographer",
    "creator_job_title": "e.g. Staff photographer",
    "credit": "e.g. Jane Doe / Agency",
    "copyright": "e.g. © 2024 Jane Doe",
    "usage_terms": "e.g. Editorial use only",
    "web_statement": "https://",
    "licensor_url": "https://",
    "creator_email": "e.g. name@example.com",
    "creator_url": "https://",
    "instructions": "Embargoes, restrictions, notes for the editor",
    "gps": "e.g. 48.8584, 2.2945",
    "city": "City or town",
    "state": "Province, state or region",
    "country": "Country name",
    "licensor_name": "e.g. Jane Doe or Agency",
    "creator_address": "Street address",
    "creator_city": "City",
    "creator_region": "State or province",
    "creator_postal_code": "e.g. 10115",
    "creator_country": "Country",
    "creator_phone": "e.g. +49 30 1234567",
    "job_id": "Assignment or order reference",
    "source": "Original owner of the photo",
}
# (min, max) visible lines of the multi-line editors; others get (2, 10).
_LINES = {"caption": (4, 14), "alt_text": (2, 6), "creator_address": (2, 5)}
# Fields whose value comes from a vocabulary get that vocabulary's editor.
_SPECIAL = {
    "keywords": KeywordsField,
    "country_code": CountryCodeField,
    "digital_source_type": DigitalSourceTypeField,
}


def make_editor(spec: FieldSpec, parent: QWidget) -> QWidget:
    """The editor for ``spec`` (the editor protocol: set_value, value, is_mixed, set_read_only
    and an ``edited`` signal), named ``field_<name>``, with its tooltip and placeholder."""
    editor: QWidget
    special = _SPECIAL.get(spec.name)
    if special is not None:
        editor = special(parent)
    elif spec.kind is FieldKind.LIST:
        editor = ListField(parent)
    elif spec.kind is FieldKind.TEXT:
        editor = LineField(parent)
    elif spec.kind is FieldKind.MULTILINE:
        editor = TextField(*_LINES.get(spec.name, (2, 10)), parent=parent)
    elif spec.kind is FieldKind.DATETIME:
        editor = DateTimeField(parent)
    elif spec.kind is FieldKind.GPS:
        editor = GpsField(parent)
    else:  # pragma: no cover - the rating lives in the panel's head
        raise ValueError(spec.name)
    editor.setObjectName(f"field_{spec.name}")
    editor.setAccessibleName(spec.full_label)
    editor.setToolTip(field_tooltip(spec))
    if spec.name in PLACEHOLDERS and isinstance(editor, LineField | TextField):
        editor.set_placeholder(PLACEHOLDERS[spec.name])
    return editor


def label_text(label: str, longest: int = 14) -> str:
    """A long label on two lines, broken at the space nearest its middle, so the label column
    stays narrow and the editors wide: "Web statement of rights" -> "Web statement\\nof rights"."""
    if len(label) <= longest or " " not in label:
        return label
    middle = len(label) / 2
    spaces = [i for i, c in enumerate(label) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return f"{label[:cut]}\n{label[cut + 1:]}"

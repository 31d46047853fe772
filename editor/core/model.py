"""Plain values the whole app passes around: what a photographer edits and what a file tells us."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class GPS:
    """A position in decimal degrees (north and east positive); altitude in metres, if known."""

    lat: float
    lon: float
    alt: float | None = None


@dataclass(frozen=True)
class PhotoMetadata:
    """Everything the photographer edits. Empty string / empty tuple / None mean "not set"."""

    headline: str = ""
    title: str = ""
    caption: str = ""
    alt_text: str = ""
    extended_description: str = ""
    caption_writer: str = ""
    keywords: tuple[str, ...] = ()
    persons_shown: tuple[str, ...] = ()
    event: str = ""
    date_taken: datetime | None = None
    sublocation: str = ""
    city: str = ""
    state: str = ""
    country: str = ""
    country_code: str = ""
    gps: GPS | None = None
    creator: tuple[str, ...] = ()
    creator_job_title: str = ""
    credit: str = ""
    copyright: str = ""
    usage_terms: str = ""
    web_statement: str = ""
    licensor_name: str = ""
    licensor_url: str = ""
    creator_address: str = ""
    creator_city: str = ""
    creator_region: str = ""
    creator_postal_code: str = ""
    creator_country: str = ""
    creator_email: str = ""
    creator_phone: str = ""
    creator_url: str = ""
    digital_source_type: str = ""  # the full IPTC NewsCodes URI
    instructions: str = ""
    job_id: str = ""
    source: str = ""
    rating: int | None = None

    def replace(self, **changes: object) -> PhotoMetadata:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def changed_fields(self, other: PhotoMetadata) -> frozenset[str]:
        """Names of the fields whose values differ between ``self`` and ``other``."""
        return frozenset(
            f.name
            for f in dataclasses.fields(self)
            if getattr(self, f.name) != getattr(other, f.name)
        )


@dataclass(frozen=True)
class CameraFacts:
    """Read-only facts from the camera. ``None`` or "" when the file does not say."""

    make: str = ""
    model: str = ""
    lens: str = ""
    exposure_time: str = ""  # as photographers write it: "1/250", "2", "0.5"
    f_number: float | None = None
    iso: int | None = None
    focal_length: float | None = None  # millimetres
    serial_number: str = ""

    def body(self) -> str:
        """The camera: "Canon EOS 5D", the make left out when the model already starts with it."""
        if self.make and self.model.startswith(self.make.split()[0]):
            return self.model
        return " ".join(p for p in (self.make, self.model) if p)

    def exposure(self) -> str:
        """Shutter time and aperture: "1/250 s f/8" (either may be missing)."""
        parts = (
            f"{self.exposure_time} s" if self.exposure_time else "",
            f"f/{self.f_number:g}" if self.f_number else "",
        )
        return " ".join(p for p in parts if p)

    def iso_speed(self) -> str:
        """The ISO speed as a number: "100"."""
        return str(self.iso) if self.iso else ""

    def focal(self) -> str:
        """The focal length: "50 mm"."""
        return f"{self.focal_length:g} mm" if self.focal_length else ""

    def summary(self) -> str:
        """One line such as "Canon EOS 5D · 24-70mm · 1/250 s f/8 ISO 100 50 mm"."""
        iso = f"ISO {self.iso_speed()}" if self.iso_speed() else ""
        settings = " ".join(p for p in (self.exposure(), iso, self.focal()) if p)
        return " · ".join(p for p in (self.body(), self.lens, settings) if p)


@dataclass(frozen=True)
class FileStamp:
    """A file as it was when read, so that a write can refuse to overwrite a change made since."""

    size: int
    mtime_ns: int
    head_sha256: str  # hash of the first HEAD_BYTES bytes: covers every metadata segment


@dataclass(frozen=True)
class PhotoRecord:
    """The result of reading one photo: its metadata, facts, and whether we may write it."""

    path: Path
    metadata: PhotoMetadata
    camera: CameraFacts = field(default_factory=CameraFacts)
    format: str = ""  # "JPEG", "PNG", "WEBP", "TIFF", "HEIF", ...
    width: int = 0  # pixel size as stored (before orientation)
    height: int = 0
    orientation: int = 1  # EXIF orientation 1..8
    file_size: int = 0
    writable: bool = False
    read_only_reason: str = ""  # why not writable, for the user
    warnings: tuple[str, ...] = ()
    stamp: FileStamp | None = None
    has_exif_thumbnail: bool = False
    metadata_store: str = "file"  # "file": in the photo itself; "sidecar": in ``sidecar``
    sidecar: Path | None = None  # the XMP sidecar a save writes (it may not exist yet)

    @property
    def display_size(self) -> tuple[int, int]:
        """Pixel size as the photo is shown (orientations 5-8 swap width and height)."""
        return (
            (self.height, self.width)
            if self.orientation in (5, 6, 7, 8)
            else (self.width, self.height)
        )


def human_size(size: int) -> str:
    """A file size in decimal units, as file managers show it: "812 bytes", "4.2 MB"."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} bytes"

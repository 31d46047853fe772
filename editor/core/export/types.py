"""The export's plain values: items, options, presets, progress events and results."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from editor.core.model import PhotoMetadata

FORMATS: dict[str, str] = {"jpeg": "jpg", "webp": "webp", "avif": "avif"}
MIME: dict[str, str] = {"jpeg": "image/jpeg", "webp": "image/webp", "avif": "image/avif"}
SNIPPETS = frozenset({"html", "md", "hugo"})
# The figcaption's line for a photo whose digital source type is generative AI.
AI_DISCLOSURE = "Image created with generative AI"
CREDIT_TEMPLATES = ("Photo: {creator}", "{credit}", "© {year} {creator}")


class Sharpen(StrEnum):
    """Output sharpening for screen, after the resize (an unsharp mask, see images.SHARPEN)."""

    NONE = "none"
    LOW = "low"  # the former "mild sharpening"
    STANDARD = "standard"
    HIGH = "high"


class MetadataPreset(StrEnum):
    CAPTION_AND_RIGHTS = "caption-and-rights"
    ALL_BUT_CAMERA_AND_LOCATION = "all-but-camera-and-location"
    ALL = "all"


@dataclass(frozen=True)
class ExportItem:
    """One photo to export with the metadata to use (possibly edited and not yet saved)."""

    path: Path
    metadata: PhotoMetadata


@dataclass(frozen=True)
class BurnIn:
    """Text drawn into the pixels; sizes are fractions of the image's long edge."""

    credit: bool = False
    caption: bool = False
    corner: str = "bottom-right"  # top-left, top-right, bottom-left, bottom-right
    credit_size: float = 0.022
    margin: float = 0.02
    opacity: float = 0.8
    caption_size: float = 0.02

    @property
    def enabled(self) -> bool:
        return self.credit or self.caption


@dataclass(frozen=True)
class ExportOptions:
    """Everything that shapes an export; the defaults are issue 4's "one JPEG at 1600 px"."""

    out_dir: Path
    long_edge: int | None = 1600  # None: keep the original size
    sizes: tuple[int, ...] = ()  # responsive widths; when set, replaces long_edge
    formats: tuple[str, ...] = ("jpeg",)
    quality: int = 82
    metadata: MetadataPreset = MetadataPreset.CAPTION_AND_RIGHTS
    keep_location: bool = False
    name_template: str = "{slug}"
    credit_template: str = "Photo: {creator}"
    snippets: tuple[str, ...] = ("html", "md")
    overwrite: bool = False
    sharpen: Sharpen = Sharpen.NONE  # True/False are taken as LOW/NONE
    burn: BurnIn = field(default_factory=BurnIn)
    jobs: int | None = None  # worker threads; None: one per core
    keep_place_names: bool = False  # city, country... (kept anyway with keep_location or ALL)
    keep_persons: bool = False  # the names of the people shown (kept anyway with ALL)
    ai_disclosure: bool = True  # a figcaption line for photos made with generative AI
    max_kb: int | None = None  # per image file: lower the quality until it fits (None: no cap)
    content_width: int | None = None  # the article's column in CSS px, for the sizes attribute
    base_url: str = ""  # where the images will live (a CMS): prefixes src/srcset in snippets

    def __post_init__(self) -> None:
        sharpen: object = self.sharpen
        if isinstance(sharpen, bool):
            object.__setattr__(self, "sharpen", Sharpen.LOW if sharpen else Sharpen.NONE)
        elif not isinstance(sharpen, Sharpen):
            object.__setattr__(self, "sharpen", Sharpen(str(sharpen)))

    def replace(self, **changes: object) -> ExportOptions:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    @property
    def responsive(self) -> bool:
        return bool(self.sizes)


@dataclass(frozen=True)
class Preset:
    key: str  # for --preset
    label: str  # for people
    long_edge: int | None
    sizes: tuple[int, ...]
    formats: tuple[str, ...]
    quality: int
    metadata: MetadataPreset

    def apply(self, options: ExportOptions) -> ExportOptions:
        return options.replace(
            long_edge=self.long_edge,
            sizes=self.sizes,
            formats=self.formats,
            quality=self.quality,
            metadata=self.metadata,
        )


PRESETS: tuple[Preset, ...] = (
    Preset(
        "blog", "Blog (1600 px JPEG)", 1600, (), ("jpeg",), 82, MetadataPreset.CAPTION_AND_RIGHTS
    ),
    Preset(
        "responsive",
        "Responsive set (640/1024/1600, JPEG+WebP)",
        None,
        (640, 1024, 1600),
        ("jpeg", "webp"),
        80,
        MetadataPreset.CAPTION_AND_RIGHTS,
    ),
    Preset("archive", "Full quality archive", None, (), ("jpeg",), 95, MetadataPreset.ALL),
)
PRESET_BY_KEY: dict[str, Preset] = {p.key: p for p in PRESETS}


@dataclass(frozen=True)
class OutputFile:
    """One written image: the file name is relative to the output folder."""

    name: str
    format: str  # "jpeg", "webp", "avif"
    width: int
    height: int
    bytes: int


@dataclass(frozen=True)
class PhotoExport:
    """What was written for one photo."""

    index: int  # position in the items given
    source: Path
    base: str  # the slug every output of this photo starts with
    metadata: PhotoMetadata
    credit_line: str
    outputs: tuple[OutputFile, ...]
    removed: tuple[str, ...] = ()  # "GPS position", "camera serial number", ...
    warnings: tuple[str, ...] = ()
    disclosure: str = ""  # AI_DISCLOSURE for a photo made with generative AI (option on)


@dataclass(frozen=True)
class ExportResult:
    out_dir: Path
    photos: tuple[PhotoExport, ...]
    failures: tuple[tuple[Path, str], ...]
    snippet_files: tuple[str, ...]
    cancelled: bool
    alt_text_warnings: tuple[tuple[Path, str], ...]
    removed_summary: tuple[str, ...]

    @property
    def files_written(self) -> int:
        return sum(len(p.outputs) for p in self.photos) + len(self.snippet_files)


@dataclass(frozen=True)
class ExportEvent:
    """Base of every progress event; ``done`` of ``total`` photos are finished (ok or failed)."""

    done: int
    total: int


@dataclass(frozen=True)
class ExportStarted(ExportEvent):
    out_dir: Path


@dataclass(frozen=True)
class PhotoExported(ExportEvent):
    photo: PhotoExport


@dataclass(frozen=True)
class PhotoFailed(ExportEvent):
    index: int
    source: Path
    reason: str  # one line, from a PhotoCaptionError


@dataclass(frozen=True)
class ExportFinished(ExportEvent):
    result: ExportResult

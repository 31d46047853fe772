"""`photocaption export`: the command-line front end of the article-ready export."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from editor.cli_cancel import cancel_on_sigint
from editor.core.errors import PhotoCaptionError
from editor.core.export import (
    PRESET_BY_KEY,
    BurnIn,
    ExportFinished,
    ExportItem,
    ExportOptions,
    ExportResult,
    MetadataPreset,
    PhotoExported,
    PhotoFailed,
    Sharpen,
    available_formats,
    export_photos,
)
from editor.core.export.profiles import ProfileError, find_profile
from editor.core.metadata import is_supported_image, read_photo
from editor.core.scan import scan_paths, skipped_summary
from editor.core.story import story_sorted

PROG = "photocaption"
CORNERS = ("bottom-right", "bottom-left", "top-right", "top-left")


def _int_list(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(v) for v in text.replace(" ", "").split(",") if v)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected widths like 640,1024,1600, not {text!r}") \
            from None
    if not values or any(v < 16 for v in values):
        raise argparse.ArgumentTypeError("every size must be a width of at least 16 pixels")
    return values


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``export`` on the main parser's subparsers; dispatches to ``run``."""
    p = subparsers.add_parser(
        "export",
        help="export web copies, article snippets and a manifest",
        description="Export web-ready copies of photos that carry their captions, plus "
        "article.html, index.html (preview), article.md and manifest.json. "
        "Originals are only read.",
    )
    p.add_argument("paths", nargs="+", metavar="FOLDER_OR_FILES")
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder")
    p.add_argument("--profile", metavar="NAME",
                   help="an outlet profile: built in (blog, responsive, archive, wordpress) or "
                   "saved from the export dialog; other flags override it")
    p.add_argument("--preset", choices=sorted(PRESET_BY_KEY),
                   help="blog (1600 px JPEG), responsive (640/1024/1600 JPEG+WebP), "
                   "archive (full size, quality 95, all metadata): the built-in profiles")
    p.add_argument("--long-edge", type=int, metavar="N",
                   help="long edge in pixels (default 1600; 0 keeps the original size)")
    p.add_argument("--sizes", type=_int_list, metavar="W,W,...",
                   help="responsive widths, e.g. 640,1024,1600 (files get -640w suffixes)")
    p.add_argument("--format", action="append", dest="formats", metavar="FMT",
                   help=f"output format, repeatable: {', '.join(available_formats())}")
    p.add_argument("--quality", type=int, metavar="Q", help="1-100 (default 82)")
    p.add_argument("--metadata", choices=[m.value for m in MetadataPreset],
                   help="what the copies carry (default caption-and-rights)")
    p.add_argument("--keep-location", action="store_true",
                   help="keep the GPS position (and the place names)")
    p.add_argument("--keep-place-names", action="store_true",
                   help="keep sublocation, city, state, country and country code")
    p.add_argument("--keep-persons", action="store_true",
                   help="keep the names of the people shown")
    p.add_argument("--no-ai-disclosure", dest="ai_disclosure", action="store_false",
                   default=None,
                   help='no "Image created with generative AI" line under such photos')
    p.add_argument("--name",
                   help="file name template: {slug} {stem} {index} {date} {title} {creator} "
                   "(default {slug})")
    p.add_argument("--credit",
                   help="credit line template: {creator} {credit} {copyright} {year} {title} "
                   '{headline} {city} {country} {source}, e.g. "© {year} {creator}" '
                   '(default "Photo: {creator}")')
    p.add_argument("--snippets", help="html,md,hugo or none (default html,md)")
    p.add_argument("--content-width", type=int, metavar="PX",
                   help="the article column's width in CSS pixels, for the sizes attribute")
    p.add_argument("--base-url", metavar="URL",
                   help="where the images will live, e.g. https://cdn.example.org/2024/trip: "
                   "prefixes src and srcset in the snippets")
    p.add_argument("--max-kb", type=int, metavar="KB",
                   help="cap each image file at this many KB (the quality is lowered to fit)")
    p.add_argument("--overwrite", action="store_true", help="replace existing files")
    p.add_argument("--sharpen", nargs="?", const="low", choices=[s.value for s in Sharpen],
                   help="output sharpening for screen: low (the default when given bare), "
                   "standard, high, none")
    p.add_argument("--burn-credit", action="store_true", help="draw the credit in a corner")
    p.add_argument("--burn-caption", action="store_true",
                   help="add a caption band below the photo")
    p.add_argument("--burn-corner", choices=CORNERS, default="bottom-right")
    p.add_argument("--burn-opacity", type=float, default=0.8, metavar="0-1")
    p.add_argument("--burn-size", type=float, default=2.2, metavar="PERCENT",
                   help="credit text height as a percentage of the long edge")
    p.add_argument("--jobs", type=int, metavar="N", help="parallel workers (default: cores)")
    p.set_defaults(func=run)
    return p


def options_from_args(args: argparse.Namespace) -> ExportOptions:
    """The options the flags say: defaults, then the profile (or preset), then each flag
    given. Raises ProfileError for an unknown profile, ValueError for a bad value."""
    options = ExportOptions(out_dir=Path(args.out))
    if getattr(args, "profile", None):
        options = find_profile(args.profile).apply(options)
    if args.preset:
        options = PRESET_BY_KEY[args.preset].apply(options)
    changes: dict[str, object] = {}
    if args.long_edge is not None:
        changes.update(long_edge=args.long_edge or None, sizes=())
    if args.sizes:
        changes["sizes"] = args.sizes
    if args.formats:
        changes["formats"] = tuple(dict.fromkeys(
            f.strip().lower().replace("jpg", "jpeg") for arg in args.formats
            for f in arg.split(",") if f.strip()))
    if args.quality is not None:
        changes["quality"] = args.quality
    if args.metadata:
        changes["metadata"] = MetadataPreset(args.metadata)
    if args.snippets is not None:
        changes["snippets"] = () if args.snippets.strip().lower() == "none" else tuple(
            s.strip().lower() for s in args.snippets.split(",") if s.strip())
    for flag in ("keep_location", "keep_place_names", "keep_persons"):
        if getattr(args, flag):
            changes[flag] = True
    if args.ai_disclosure is not None:
        changes["ai_disclosure"] = args.ai_disclosure
    for flag, name in (("name", "name_template"), ("credit", "credit_template"),
                       ("sharpen", "sharpen"), ("base_url", "base_url")):
        if getattr(args, flag, None) is not None:
            changes[name] = getattr(args, flag)
    for flag in ("content_width", "max_kb"):
        if getattr(args, flag, None) is not None:
            changes[flag] = getattr(args, flag) or None
    burn = BurnIn(credit=args.burn_credit, caption=args.burn_caption, corner=args.burn_corner,
                  opacity=args.burn_opacity, credit_size=args.burn_size / 100)
    return options.replace(**changes, overwrite=args.overwrite, burn=burn, jobs=args.jobs)


def _err(path: object, reason: str, stream: TextIO | None = None) -> None:
    print(f"{PROG}: {path}: {reason}", file=stream or sys.stderr)


def _is_output(path: Path, out: Path, root: Path) -> bool:
    """Whether ``path``, found under the input ``root``, is where the export writes: anything in
    an output folder inside ``root``; when the output folder is ``root`` or holds it (``export
    trip/originals --out trip``), only the files directly in it (exports never go deeper)."""
    real = path.resolve()
    if out == root or out in root.parents:
        return real.parent == out
    return out in real.parents


def _walk(paths: list[str], out_dir: Path, skipped: list[Path]) -> Iterator[Path]:
    """Image files under ``paths`` (never the export's own output); problems go to stderr,
    files in the folders that are not photos to ``skipped``."""
    out = out_dir.resolve()
    for raw in paths:
        path = Path(raw)
        root = path.resolve()
        if path.is_file() and not is_supported_image(path):
            _err(path, "not a supported image (JPEG, PNG, WebP, TIFF, HEIF, RAW)")
            continue
        if path.is_dir() and root == out:
            _err(path, "is the output folder: the photos directly in it are not exported "
                 "(choose another --out)")
        for batch in scan_paths([path]):
            for problem, reason in batch.problems:
                _err(problem, reason)
            if path.is_dir():
                skipped.extend(p for p in batch.skipped if not _is_output(p, out, root))
            yield from (p for p in batch.paths if not _is_output(p, out, root))


def _in_story_order(paths: list[str], out_dir: Path, skipped: list[Path]) -> Iterator[Path]:
    """The photos under ``paths``: files in the order given, a folder's photos in its story
    order (as arranged in the app; name order when never arranged)."""
    for raw in paths:
        found = _walk([raw], out_dir, skipped)
        yield from story_sorted(list(found)) if Path(raw).is_dir() else found


def collect_items(paths: list[str], out_dir: Path) -> list[ExportItem]:
    items = []
    seen: set[Path] = set()
    skipped: list[Path] = []
    unreadable: list[Path] = []
    for path in _in_story_order(paths, out_dir, skipped):
        key = path.resolve()
        if key in seen:
            continue
        seen.add(key)
        try:
            items.append(ExportItem(path, read_photo(path).metadata))
        except PhotoCaptionError as err:
            _err(path, str(err))
            unreadable.append(path)
    if summary := skipped_summary(skipped, unreadable):
        print(f"{PROG}: export: {summary}", file=sys.stderr)
    return items


def print_summary(result: ExportResult, out: TextIO) -> None:
    images = sum(len(p.outputs) for p in result.photos)
    head = "Cancelled: " if result.cancelled else ""
    print(f"{head}{len(result.photos)} photo{'s' if len(result.photos) != 1 else ''} exported "
          f"to {result.out_dir}: {images} image file{'s' if images != 1 else ''}"
          + (f", {', '.join(result.snippet_files)}" if result.snippet_files else ""), file=out)
    for line in result.removed_summary:
        print(f"  {line}.", file=out)
    for photo in result.photos:
        for warning in photo.warnings:
            print(f"  warning: {photo.source.name}: {warning}", file=out)
    if result.alt_text_warnings:
        print("Alt text to review:", file=out)
        for path, warning in result.alt_text_warnings:
            print(f"  {path.name}: {warning}", file=out)
    if result.failures:
        print(f"{len(result.failures)} could not be exported (see above).", file=out)


def run(args: argparse.Namespace) -> int:
    """Run ``photocaption export``; returns the exit status."""
    try:
        options = options_from_args(args)
    except ProfileError as err:
        print(f"{PROG}: export: {err}", file=sys.stderr)
        return 2
    except ValueError as err:
        print(f"{PROG}: export: {err}", file=sys.stderr)
        return 2
    items = collect_items(list(args.paths), options.out_dir)
    if not items:
        print(f"{PROG}: export: nothing to export: no readable photos in the given paths",
              file=sys.stderr)
        return 1
    result: ExportResult | None = None
    with cancel_on_sigint() as cancel:
        try:
            for event in export_photos(items, options, cancel):
                if isinstance(event, PhotoExported):
                    files = ", ".join(o.name for o in event.photo.outputs)
                    print(f"[{event.done}/{event.total}] {event.photo.source.name} -> {files}",
                          file=sys.stderr)
                elif isinstance(event, PhotoFailed):
                    print(f"[{event.done}/{event.total}] failed", file=sys.stderr)
                    _err(event.source, event.reason)
                elif isinstance(event, ExportFinished):
                    result = event.result
        except PhotoCaptionError as err:
            _err(options.out_dir, str(err))
            return 1
    assert result is not None
    for path, reason in result.failures:
        if not path.is_relative_to(options.out_dir):
            continue
        _err(path, reason)  # snippet files that could not be written
    print_summary(result, sys.stdout)
    if result.cancelled:
        print(f"{PROG}: export cancelled; no partial files were left", file=sys.stderr)
        return 130
    if not result.photos:
        print(f"{PROG}: export: nothing could be exported ({len(result.failures)} failed)",
              file=sys.stderr)
        return 1
    return 1 if result.failures else 0

"""Article-ready export: photos + options in, progress events out; the CLI and GUI both use it."""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from pathlib import Path

from PIL import features

from editor.core.alt_text import alt_text_warnings
from editor.core.errors import MetadataFormatError, PhotoCaptionError, UnsafeWriteError
from editor.core.export.files import ExportCancelled, sync_folder, write_text
from editor.core.export.images import PhotoJob, export_one
from editor.core.export.metadata import REMOVED_LABELS, read_source, removed_keys
from editor.core.export.naming import dedupe, inside, render_name, safe_base, title_source
from editor.core.export.snippets import (
    article_html,
    article_hugo,
    article_md,
    credit_line,
    index_html,
    manifest,
)
from editor.core.export.types import (
    CREDIT_TEMPLATES,
    FORMATS,
    PRESET_BY_KEY,
    PRESETS,
    SNIPPETS,
    BurnIn,
    ExportEvent,
    ExportFinished,
    ExportItem,
    ExportOptions,
    ExportResult,
    ExportStarted,
    MetadataPreset,
    OutputFile,
    PhotoExport,
    PhotoExported,
    PhotoFailed,
    Preset,
    Sharpen,
)

__all__ = [
    "CREDIT_TEMPLATES", "PRESETS", "PRESET_BY_KEY", "BurnIn", "ExportEvent", "ExportFinished",
    "ExportItem", "ExportOptions", "ExportOptionsError", "ExportResult", "ExportStarted",
    "MetadataPreset", "OutputFile", "PhotoExport", "PhotoExported", "PhotoFailed", "Preset",
    "Sharpen",
    "alt_text_warnings", "available_formats", "export_photos", "plan_names", "preview_removal",
    "summarize_removed",
]

class ExportOptionsError(PhotoCaptionError):
    """The options cannot work (unknown format, quality out of range...)."""


class _Stop:
    """Set when the caller cancels or stops iterating; what the workers poll."""

    def __init__(self, cancel: threading.Event | None) -> None:
        self.cancel = cancel
        self.closed = threading.Event()

    def is_set(self) -> bool:
        return self.closed.is_set() or (self.cancel is not None and self.cancel.is_set())


def available_formats() -> tuple[str, ...]:
    """Output formats this Pillow can encode ("avif" only when built with it)."""
    names = ["jpeg"]
    if features.check("webp"):
        names.append("webp")
    if features.check("avif"):
        names.append("avif")
    return tuple(names)


def validate(options: ExportOptions) -> None:
    if not options.formats:
        raise ExportOptionsError("choose at least one output format")
    for fmt in options.formats:
        if fmt not in FORMATS:
            raise ExportOptionsError(f"unknown format {fmt!r} (choose from jpeg, webp, avif)")
        if fmt not in available_formats():
            raise ExportOptionsError(f"this Pillow cannot write {fmt.upper()}")
    if not 1 <= options.quality <= 100:
        raise ExportOptionsError("quality must be between 1 and 100")
    if options.long_edge is not None and options.long_edge < 16:
        raise ExportOptionsError("the long edge must be at least 16 pixels")
    if any(s < 16 for s in options.sizes):
        raise ExportOptionsError("every size must be at least 16 pixels")
    if options.max_kb is not None and options.max_kb < 1:
        raise ExportOptionsError("the file-size cap must be at least 1 KB")
    if options.content_width is not None and options.content_width < 16:
        raise ExportOptionsError("the content width must be at least 16 pixels")
    if options.base_url and (not options.base_url.startswith(("https://", "http://", "/"))
                             or any(c.isspace() or c in "\"'<>" for c in options.base_url)):
        raise ExportOptionsError(f"the base URL must start with https://, http:// or / and "
                                 f"hold no spaces or quotes, not {options.base_url!r}")
    unknown = set(options.snippets) - SNIPPETS
    if unknown:
        raise ExportOptionsError(f"unknown snippet kind {sorted(unknown)[0]!r} "
                                 "(choose from html, md, hugo)")


def plan_names(items: Sequence[ExportItem], template: str) -> list[str]:
    """The base file name of each item, in order: safe, unique, from title/caption/name."""
    bases = []
    for n, item in enumerate(items, 1):
        m = item.metadata
        values = {
            "slug": safe_base(title_source(m.title, m.caption, item.path)),
            "stem": safe_base(item.path.stem),
            "title": m.title,
            "index": f"{n:03d}",
            "date": m.date_taken.strftime("%Y-%m-%d") if m.date_taken else "",
            "creator": " ".join(m.creator),
        }
        bases.append(render_name(template, values))
    return dedupe(bases)


def summarize_removed(counts: Counter[str], total: int) -> list[str]:
    """ "GPS position, camera serial number removed from 12 photos"-style lines."""
    by_count: dict[int, list[str]] = {}
    for label in REMOVED_LABELS.values():
        if counts.get(label):
            by_count.setdefault(counts[label], []).append(label)
    lines = []
    for count in sorted(by_count, reverse=True):
        what = ", ".join(by_count[count])
        whom = "all photos" if count == total and total > 1 else (
            "1 photo" if count == 1 else f"{count} photos")
        lines.append(f"{what[0].upper()}{what[1:]} removed from {whom}")
    return lines


def preview_removal(items: Sequence[ExportItem], options: ExportOptions) -> list[str]:
    """What the copies will not carry: the preset's filter applied to what each original holds
    (read from its metadata blocks; no decode)."""
    counts: Counter[str] = Counter()
    for item in items:
        try:
            keys = removed_keys(read_source(item.path), item.metadata, options.metadata,
                                options.keep_location, keep_place_names=options.keep_place_names,
                                keep_persons=options.keep_persons)
        except (OSError, PhotoCaptionError, MetadataFormatError):
            keys = ["gps"] if item.metadata.gps is not None and not options.keep_location else []
        counts.update(REMOVED_LABELS[k] for k in keys)
    return summarize_removed(counts, len(items))


def _run(job: PhotoJob, stop: _Stop) -> PhotoExport:
    try:
        return export_one(job, stop)  # type: ignore[arg-type]
    except (PhotoCaptionError, ExportCancelled):
        raise
    except MemoryError:
        raise PhotoCaptionError("not enough memory to export this photo") from None
    except Exception as err:  # Pillow raises SyntaxError, struct.error... on broken files
        raise PhotoCaptionError(f"cannot export ({type(err).__name__}: {err})") from err


def _options_record(options: ExportOptions) -> dict[str, object]:
    return {
        "long_edge": options.long_edge, "sizes": list(options.sizes),
        "formats": list(options.formats), "quality": options.quality,
        "metadata": str(options.metadata), "keep_location": options.keep_location,
        "keep_place_names": options.keep_place_names, "keep_persons": options.keep_persons,
        "ai_disclosure": options.ai_disclosure,
        "credit_template": options.credit_template, "sharpen": str(options.sharpen),
        "max_kb": options.max_kb, "content_width": options.content_width,
        "base_url": options.base_url,
        "burn_credit": options.burn.credit, "burn_caption": options.burn.caption,
    }


def _write_snippets(photos: Sequence[PhotoExport], failures: Sequence[tuple[Path, str]],
                    options: ExportOptions) -> tuple[list[str], list[tuple[Path, str]]]:
    texts: dict[str, str] = {}
    base = options.base_url
    if "html" in options.snippets:
        texts["article.html"] = article_html(photos, base, options.content_width)
        texts["index.html"] = index_html(photos)  # a local preview: the files beside it
    if "md" in options.snippets:
        texts["article.md"] = article_md(photos, base)
    if "hugo" in options.snippets:
        texts["article.hugo.md"] = article_hugo(photos, base)
    texts["manifest.json"] = manifest(photos, failures, _options_record(options))
    written, problems = [], []
    for name, text in texts.items():
        path = inside(options.out_dir, name)
        try:
            write_text(path, text, overwrite=options.overwrite)
        except PhotoCaptionError as err:
            problems.append((path, str(err)))
        else:
            written.append(name)
    return written, problems


def export_photos(
    items: Sequence[ExportItem],
    options: ExportOptions,
    cancel: threading.Event | None = None,
) -> Iterator[ExportEvent]:
    """Export ``items``; yield ExportStarted, one PhotoExported/PhotoFailed each, ExportFinished.

    Raises ExportOptionsError / UnsafeWriteError (before any work) when the options or the output
    folder cannot work. Photos are written as they finish; snippets and the manifest last, and
    only when not cancelled. Closing the generator early cancels the work that is left.
    """
    validate(options)
    out_dir = options.out_dir
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UnsafeWriteError(f"cannot create the output folder ({err.strerror or err})") \
            from err
    options = options.replace(out_dir=out_dir)
    total = len(items)
    bases = plan_names(items, options.name_template)
    jobs = [
        PhotoJob(i, item.path, item.metadata, bases[i],
                 credit_line(options.credit_template, item.metadata), options)
        for i, item in enumerate(items)
    ]
    alt_warnings = tuple(
        (item.path, warning) for item in items
        for warning in alt_text_warnings(item.metadata.alt_text, item.metadata.caption)
    )
    yield ExportStarted(0, total, out_dir)
    stop = _Stop(cancel)
    photos: list[PhotoExport] = []
    failures: list[tuple[Path, str]] = []
    done = 0
    workers = max(1, min(options.jobs or os.cpu_count() or 1, total or 1))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="export")
    try:
        futures: dict[Future[PhotoExport], PhotoJob] = {
            pool.submit(_run, job, stop): job for job in jobs
        }
        for future in as_completed(futures):
            job = futures[future]
            try:
                photo = future.result()
            except ExportCancelled:
                continue
            except PhotoCaptionError as err:
                done += 1
                failures.append((job.source, str(err)))
                yield PhotoFailed(done, total, job.index, job.source, str(err))
                continue
            done += 1
            photos.append(photo)
            yield PhotoExported(done, total, photo)
    finally:
        stop.closed.set()  # also reached on Ctrl+C or when the caller closes us
        pool.shutdown(wait=True, cancel_futures=True)
        sync_folder(out_dir)  # the photos' names, durable together (their data already is)
    cancelled = cancel is not None and cancel.is_set()
    photos.sort(key=lambda p: p.index)
    snippet_files: list[str] = []
    if photos and not cancelled:
        snippet_files, problems = _write_snippets(photos, failures, options)
        failures.extend(problems)
    counts: Counter[str] = Counter(label for p in photos for label in p.removed)
    result = ExportResult(
        out_dir=out_dir, photos=tuple(photos), failures=tuple(failures),
        snippet_files=tuple(snippet_files), cancelled=cancelled,
        alt_text_warnings=alt_warnings, removed_summary=tuple(summarize_removed(counts,
                                                                                len(photos))),
    )
    yield ExportFinished(done, total, result)

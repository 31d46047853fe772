"""Command-line front end: no arguments or paths open the GUI; show / set / export subcommands.

No traceback ever reaches the user: engine errors print one line per file, anything unexpected
prints one line too (``--debug`` shows the traceback).
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import json
import math
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from editor import __version__
from editor.core.coordinates import parse_angle, split_position
from editor.core.errors import PhotoCaptionError
from editor.core.export.naming import printable
from editor.core.fields import FIELDS, FieldKind
from editor.core.metadata import IimPolicy, read_photo
from editor.core.model import GPS, PhotoRecord
from editor.core.partial_dates import parse_iso
from editor.core.saving import SaveJob, save_photos
from editor.core.sidecar import SidecarName, StorePolicy
from editor.core.vocabulary import checked_value, digital_source_type_label

SUBCOMMANDS = ("show", "set", "export", "publish")
PROG = "photocaption"


ESCAPE_ERRORS = "photocaption-escape"


def _escape_unprintable(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler for output: a byte of a name that was not UTF-8 (a lone surrogate)
    prints as ``\\xe9``; any other character the stream cannot encode as ``\\u....``."""
    if not isinstance(err, UnicodeEncodeError):
        raise err
    chunk = err.object[err.start : err.end]
    return "".join(
        f"\\x{ord(c) - 0xDC00:02x}" if 0xDC80 <= ord(c) <= 0xDCFF
        else c.encode("ascii", "backslashreplace").decode("ascii")
        for c in chunk
    ), err.end


codecs.register_error(ESCAPE_ERRORS, _escape_unprintable)


def _escape_output() -> None:
    """Never fail to print a file name: names that are not UTF-8 print escaped."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors=ESCAPE_ERRORS)  # type: ignore[union-attr]


def _err(path: object, message: str) -> None:
    print(f"{PROG}: {path}: {message}", file=sys.stderr)


# --- show ------------------------------------------------------------------------------------


def _json_value(kind: FieldKind, value: Any) -> Any:
    """A field's value in the JSON of ``show --json``, by its kind (the keys are its name)."""
    if kind is FieldKind.LIST:
        return list(value)
    if kind is FieldKind.DATETIME:
        return value.isoformat() if value else None
    if kind is FieldKind.GPS:
        return None if value is None else {"lat": value.lat, "lon": value.lon, "alt": value.alt}
    return value


def record_to_json(record: PhotoRecord) -> dict[str, Any]:
    """The JSON form of a record (the keys documented in the README)."""
    md = record.metadata
    camera = record.camera
    fields_json: dict[str, Any] = {}
    for spec in FIELDS:
        value = _json_value(spec.kind, getattr(md, spec.name))
        if spec.group:  # struct members nest: "creator_contact": {"email": ...}
            fields_json.setdefault(spec.group, {})[spec.group_key] = value
        else:
            fields_json[spec.name] = value
    return {
        "path": printable(str(record.path)),
        **fields_json,
        "camera": {
            "make": camera.make,
            "model": camera.model,
            "lens": camera.lens,
            "exposure_time": camera.exposure_time,
            "f_number": camera.f_number,
            "iso": camera.iso,
            "focal_length": camera.focal_length,
        },
        "width": record.width,
        "height": record.height,
        "orientation": record.orientation,
        "format": record.format,
        "file_size": record.file_size,
        "writable": record.writable,
        "read_only_reason": record.read_only_reason,
        "metadata_store": record.metadata_store,
        "sidecar": printable(str(record.sidecar)) if record.sidecar else None,
        "warnings": list(record.warnings),
    }


def store_line(record: PhotoRecord) -> str:
    """Where the photo's metadata is kept, in words: "in the file itself", "in the sidecar
    IMG_1.xmp (created on the first save)"."""
    if record.metadata_store != "sidecar" or record.sidecar is None:
        return "in the file itself"
    new = "" if record.sidecar.exists() else " (created on the first save)"
    return f"in the XMP sidecar {printable(record.sidecar.name)}{new}"


def _format_value(kind: FieldKind, value: Any) -> str:
    if value is None or value in ("", ()):
        return ""
    if kind is FieldKind.LIST:
        return "; ".join(value)
    if kind is FieldKind.DATETIME:
        return str(value.isoformat(sep=" "))
    if kind is FieldKind.GPS:
        alt = f", {value.alt:g} m" if value.alt is not None else ""
        return f"{value.lat:.6f}, {value.lon:.6f}{alt}"
    if kind is FieldKind.RATING:
        return "★" * value + "☆" * (5 - value)
    return str(value)


def format_record(record: PhotoRecord) -> str:
    """A human-readable block for one photo."""
    size = f"{record.width}×{record.height}" if record.width else "size unknown"
    state = "writable" if record.writable else f"read-only: {record.read_only_reason}"
    lines = [f"{record.path}", f"  {record.format} {size}, {record.file_size:,} bytes, {state}"]
    width = max(len(f.full_label) for f in FIELDS) + 2
    lines.append(f"  {'Metadata:'.ljust(width)}{store_line(record)}")
    for spec in FIELDS:
        text = _format_value(spec.kind, getattr(record.metadata, spec.name))
        if spec.name == "digital_source_type" and text:
            text = f"{digital_source_type_label(text)} ({text})"
        text = text.replace("\n", "\n" + " " * (width + 2))
        lines.append(f"  {(spec.full_label + ':').ljust(width)}{text}")
    summary = record.camera.summary()
    if summary:
        lines.append(f"  {'Camera:'.ljust(width)}{summary}")
    for warning in record.warnings:
        lines.append(f"  warning: {warning}")
    return "\n".join(lines)


def policy_from_args(args: argparse.Namespace) -> StorePolicy:
    """The sidecar choices of ``--sidecar-name`` and ``--dng-sidecar``."""
    return StorePolicy(
        sidecar_name=SidecarName(getattr(args, "sidecar_name", None) or "basename"),
        dng_sidecar=bool(getattr(args, "dng_sidecar", False)),
    )


def _add_policy_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sidecar-name",
        choices=[n.value for n in SidecarName],
        default="basename",
        help="name of a new XMP sidecar (RAW, HEIC): basename = IMG_1.xmp (Lightroom, Photo "
        "Mechanic; the default), fullname = IMG_1.NEF.xmp (darktable, digiKam); an existing "
        "sidecar is used under either name",
    )
    parser.add_argument(
        "--dng-sidecar",
        action="store_true",
        help="keep a DNG's metadata in an XMP sidecar instead of writing the DNG in place",
    )


def cmd_show(args: argparse.Namespace) -> int:
    failed = 0
    records = []
    policy = policy_from_args(args)
    for name in args.files:
        try:
            records.append(read_photo(name, policy=policy))
        except PhotoCaptionError as err:
            _err(name, str(err))
            failed += 1
    if args.json:
        json.dump([record_to_json(r) for r in records], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print("\n\n".join(format_record(r) for r in records))
    return 1 if failed else 0


# --- set -------------------------------------------------------------------------------------


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(";") if p.strip())


MAX_ALTITUDE = 1_000_000.0  # metres either side of sea level; EXIF stores it as a rational


def _number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"GPS {what} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"GPS {what} must be a finite number, not {text!r}")
    return value


def _angle(text: str, what: str, positive: str, negative: str) -> float:
    value = parse_angle(text, positive, negative)
    if value is None:
        example = "48.8584 or 48°51'30\"N"
        raise ValueError(f"GPS {what} {text.strip()!r} is not in degrees (e.g. {example})")
    return value


def _parse_gps(text: str) -> GPS:
    parts = split_position(text)
    if len(parts) not in (2, 3):
        raise ValueError("GPS must be LAT,LON or LAT,LON,ALT in decimal degrees, "
                         "or as printed by cameras and maps, e.g. 48°51'30\"N 2°17'40\"E")
    lat, lon = _angle(parts[0], "latitude", "N", "S"), _angle(parts[1], "longitude", "E", "W")
    alt = _number(parts[2], "altitude") if len(parts) == 3 else None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"GPS position {lat:g}, {lon:g} is out of range "
                         "(latitude -90 to 90, longitude -180 to 180)")
    if alt is not None and abs(alt) > MAX_ALTITUDE:
        raise ValueError(f"GPS altitude {alt:g} m is out of range "
                         f"(-{MAX_ALTITUDE:,.0f} to {MAX_ALTITUDE:,.0f} m)")
    return GPS(lat, lon, alt)


def _undecodable(text: str) -> str:
    """The first byte of ``text`` that was not UTF-8 on the command line (Python hands such
    bytes over as lone surrogates), as ``\\xe9``; "" when every byte was UTF-8."""
    for char in text:
        if 0xDC80 <= ord(char) <= 0xDCFF:
            return f"\\x{ord(char) - 0xDC00:02x}"
    return ""


def _parse_date(raw: str) -> datetime:
    """ISO 8601; a date without a time ("2004-06-21", "2004-06", "2004") stays date-only."""
    return parse_iso(raw)


def changes_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The field changes the flags ask for. An empty string clears a field."""
    changes: dict[str, Any] = {}
    for spec in FIELDS:
        raw = getattr(args, spec.name, None)
        if raw is None:
            continue
        bad = _undecodable(raw)
        if bad:
            flag = _FLAG_NAMES.get(spec.name, "--" + spec.name.replace("_", "-"))
            raise ValueError(f"{flag} is not UTF-8 text (it holds the byte {bad}); "
                             "give it in UTF-8, as this system expects")
        if spec.kind in (FieldKind.TEXT, FieldKind.MULTILINE):
            changes[spec.name] = checked_value(spec.name, raw)
        elif spec.kind is FieldKind.LIST:
            changes[spec.name] = _split(raw)
        elif spec.kind is FieldKind.DATETIME:
            changes[spec.name] = _parse_date(raw) if raw.strip() else None
        elif spec.kind is FieldKind.GPS:
            changes[spec.name] = _parse_gps(raw) if raw.strip() else None
        elif spec.kind is FieldKind.RATING:
            if raw.strip():
                rating = int(raw)
                if not 0 <= rating <= 5:
                    raise ValueError("rating must be 0 to 5")
                changes[spec.name] = rating
            else:
                changes[spec.name] = None
    if args.clear_gps:
        changes["gps"] = None
    return changes


@dataclass
class _SetPlan:
    """What ``set`` will do with each file given, by its position on the command line."""

    jobs: dict[int, SaveJob] = field(default_factory=dict)
    before: dict[int, PhotoRecord] = field(default_factory=dict)  # the record each job edits
    problems: dict[int, str] = field(default_factory=dict)  # why a file will not be written
    duplicates: dict[int, str] = field(default_factory=dict)  # the same file again -> first name


def _plan_set(args: argparse.Namespace, changes: dict[str, object]) -> _SetPlan:
    plan = _SetPlan()
    policy = policy_from_args(args)
    first_name: dict[str, str] = {}  # real path -> the name it was first given as
    for i, name in enumerate(args.files):
        real = os.path.realpath(name)
        if real in first_name:
            plan.duplicates[i] = first_name[real]
            continue
        first_name[real] = name
        try:
            record = read_photo(name, policy=policy)
            if not record.writable:
                raise PhotoCaptionError(f"not written: {record.read_only_reason}")
        except PhotoCaptionError as err:
            plan.problems[i] = str(err)
            continue
        plan.before[i] = record
        plan.jobs[i] = SaveJob(
            Path(name),
            record.metadata.replace(**changes),
            expected=record.stamp,
            keep_mtime=args.keep_mtime,
            iim_policy=IimPolicy.WHEN_PRESENT if args.no_iptc else IimPolicy.ALWAYS,
            policy=policy,
        )
    return plan


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """While saving, a polite kill (SIGTERM) stops like Ctrl+C: the saves in flight finish and
    no temp file is left behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def cmd_set(args: argparse.Namespace) -> int:
    try:
        changes = changes_from_args(args)
    except ValueError as err:
        print(f"{PROG}: {err}", file=sys.stderr)
        return 2
    if not changes:
        print(f"{PROG}: nothing to set (see photocaption set --help)", file=sys.stderr)
        return 2
    plan = _plan_set(args, changes)
    position = {id(job): i for i, job in plan.jobs.items()}
    outcomes: dict[int, PhotoRecord | str] = {}
    failed = written = shown = 0

    def show_ready() -> None:
        """Report files in the order given, each once it and all before it are done (saves
        finish in any order, two at a time)."""
        nonlocal shown, failed, written
        while shown < len(args.files) and (shown not in plan.jobs or shown in outcomes):
            i, name = shown, args.files[shown]
            shown += 1
            if i in plan.duplicates:
                first = plan.duplicates[i]
                same = "given more than once" if first == name else f"the same file as {first}"
                _err(name, f"note: {same}; handled once")
            elif isinstance(outcome := outcomes.get(i, plan.problems.get(i, "")), str):
                _err(name, outcome)
                failed += 1
            else:
                written += 1
                for note in (w for w in outcome.warnings if w not in plan.before[i].warnings):
                    _err(name, f"note: {note}")

    finished: dict[int, PhotoRecord | str] = {}  # every save that ended, reported or not

    def note(job: SaveJob, outcome: PhotoRecord | str) -> None:
        finished[position[id(job)]] = outcome

    show_ready()
    try:
        with _sigterm_as_interrupt():
            for job, outcome in save_photos(plan.jobs.values(), on_each=note):
                outcomes[position[id(job)]] = outcome
                show_ready()
    except KeyboardInterrupt:
        done = sum(not isinstance(o, str) for o in list(finished.values()))
        print(
            f"{PROG}: interrupted after writing {done} file{'s' if done != 1 else ''}; "
            "each file is either unchanged or completely written",
            file=sys.stderr,
        )
        return 130
    if written:
        print(f"{written} file{'s' if written != 1 else ''} written", file=sys.stdout)
    return 1 if failed else 0


# --- parser ----------------------------------------------------------------------------------

_FLAG_HELP = {
    "keywords": 'separated by ";", e.g. "river; dusk"',
    "creator": 'one or more, separated by ";"',
    "date_taken": "ISO 8601, e.g. 2024-05-01T18:30:00+09:00",
    "gps": "LAT,LON[,ALT] in decimal degrees",
    "rating": "0 to 5",
    "persons_shown": 'one or more names, separated by ";"',
    "digital_source_type": "an IPTC NewsCodes term (digitalCapture, negativeFilm, print, "
    "compositeCapture, trainedAlgorithmicMedia, compositeWithTrainedAlgorithmicMedia, ...) "
    "or its full URI",
    "country_code": "ISO 3166 code, e.g. FR or FRA",
}
_FLAG_NAMES = {
    "date_taken": "--date",
    "caption": "--caption",
    "gps": "--gps",
    "persons_shown": "--person-shown",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Caption, credit and export photos for articles. "
        "With no command, opens the app (on PATHs if given).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    show = sub.add_parser("show", help="print the metadata of photos")
    show.add_argument("files", nargs="+", metavar="FILE")
    show.add_argument("--json", action="store_true", help="print JSON instead of text")
    _add_policy_flags(show)
    show.set_defaults(func=cmd_show)

    set_ = sub.add_parser(
        "set",
        help="write metadata into photos",
        description="Write fields into photos, safely. An empty string clears a field.",
    )
    set_.add_argument("files", nargs="+", metavar="FILE")
    for spec in FIELDS:
        flag = _FLAG_NAMES.get(spec.name, "--" + spec.name.replace("_", "-"))
        set_.add_argument(
            flag,
            dest=spec.name,
            metavar=spec.kind.name if spec.kind is not FieldKind.MULTILINE else "TEXT",
            help=_FLAG_HELP.get(spec.name, spec.help or spec.label),
        )
    set_.add_argument("--clear-gps", action="store_true", help="remove the GPS position")
    set_.add_argument("--keep-mtime", action="store_true", help="keep the file's modification time")
    iim = set_.add_mutually_exclusive_group()
    iim.add_argument(
        "--no-iptc",
        action="store_true",
        help="do not add IPTC-IIM to files that have none (it is always kept in step where "
        "present); by default it is added, since WordPress reads only IPTC-IIM and EXIF",
    )
    iim.add_argument("--iptc", action="store_true", help=argparse.SUPPRESS)  # the default now
    _add_policy_flags(set_)
    set_.set_defaults(func=cmd_set)

    from editor import cli_export, cli_publish

    cli_export.add_parser(sub)
    cli_publish.add_parser(sub)
    return parser


def _run_gui(paths: Sequence[str]) -> int:
    try:
        from editor.app import run_gui
    except ImportError as err:
        print(f"{PROG}: the app cannot start: {err}", file=sys.stderr)
        return 2
    return int(run_gui(list(paths)) or 0)


def _join_negative_values(args: list[str]) -> list[str]:
    """``--gps -33.5,151.2`` reads as an option to argparse; make it ``--gps=-33.5,151.2``."""
    out: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        nxt = args[i + 1] if i + 1 < len(args) else ""
        if arg in ("--gps", "--date", "--rating") and nxt[:1] == "-" and nxt[1:2].isdigit():
            out.append(f"{arg}={nxt}")
            i += 2
            continue
        out.append(arg)
        i += 1
    return out


def main(argv: Sequence[str] | None = None) -> int:
    _escape_output()
    args_list = _join_negative_values(list(sys.argv[1:] if argv is None else argv))
    debug = "--debug" in args_list
    try:
        first = next((a for a in args_list if not a.startswith("-")), None)
        if first is None and not any(a in ("-h", "--help", "--version") for a in args_list):
            return _run_gui([])
        if first is not None and first not in SUBCOMMANDS:
            paths = [a for a in args_list if a != "--debug"]
            missing = [p for p in paths if not Path(p).exists()]
            for p in missing:
                _err(p, "no such file or folder")
            return (
                _run_gui([p for p in paths if p not in missing]) if len(missing) < len(paths) else 2
            )
        args = build_parser().parse_args(args_list)
        return int(args.func(args))
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as err:  # the last line of defence: never a traceback
        if debug:
            raise
        print(
            f"{PROG}: internal error: {type(err).__name__}: {err} (run with --debug for details)",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    raise SystemExit(main())

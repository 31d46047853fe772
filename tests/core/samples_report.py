"""Round-trip every file of ../shared/samples through write_photo and judge the result.

Used by test_metadata_roundtrip.py, and runnable on its own for the figures:

    .venv/bin/python -m tests.core.samples_report

A file is "written losslessly" when every check passes, "refused" when the engine declined to
write it (the file must then be byte-identical and the reason a one-line PhotoCaptionError), and
"damaged" when it was written but some check found a difference it should not have.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from editor.core.errors import PhotoCaptionError
from editor.core.formats import jpeg
from editor.core.metadata import normalize, read_photo, write_photo
from editor.core.model import PhotoMetadata
from tests.core.conftest import EXIFTOOL, FULL, SAMPLES, sample_files

CHECKS = ("readback", "tags", "image", "warnings", "refused")
# A few files go through the command line instead of write_photo.
VIA_CLI = frozenset({"ianare-Canon_PowerShot_S40.jpg", "exiv2-Reagan.jpg", "pillow-exif.png"})

# Tags we write, per exiftool family-1 group (base names, without Copy numbers).
_EDITED: dict[str, frozenset[str]] = {
    "IFD0": frozenset(
        {"ImageDescription", "Artist", "Copyright", "XPTitle", "XPComment", "XPKeywords",
         "XPAuthor", "Rating"}
    ),
    # With the date taken move its sub-seconds and zone, and the digitized date (exiftool's
    # CreateDate) where it held the same moment.
    "ExifIFD": frozenset(
        {"DateTimeOriginal", "OffsetTimeOriginal", "SubSecTimeOriginal", "CreateDate",
         "OffsetTimeDigitized", "SubSecTimeDigitized"}
    ),
    "GPS": frozenset(
        {"GPSVersionID", "GPSLatitudeRef", "GPSLatitude", "GPSLongitudeRef", "GPSLongitude",
         "GPSAltitudeRef", "GPSAltitude"}
    ),
    "IPTC": frozenset(
        {"ObjectName", "Caption-Abstract", "Keywords", "By-line", "Credit", "CopyrightNotice",
         "DateCreated", "TimeCreated", "CodedCharacterSet", "ApplicationRecordVersion",
         "Headline", "Writer-Editor", "Sub-location", "City", "Province-State",
         "Country-PrimaryLocationName", "Country-PrimaryLocationCode", "By-lineTitle",
         "SpecialInstructions", "OriginalTransmissionReference", "Source"}
    ),
    "Photoshop": frozenset({"IPTCDigest"}),
    "File": frozenset({"CurrentIPTCDigest"}),
}  # fmt: skip
_NEW_EXIF_IFD_BASE = frozenset(
    {"ExifVersion", "ComponentsConfiguration", "FlashpixVersion", "ColorSpace", "ExifImageWidth",
     "ExifImageHeight"}
)  # fmt: skip
_NEW_IFD0_BASE = frozenset({"XResolution", "YResolution", "ResolutionUnit", "YCbCrPositioning"})
_NEW_EXIF_BLOCK = frozenset({("File", "ExifByteOrder")})
_FREE_GROUPS = ("System", "ExifTool", "Composite")  # file dates, sizes, derived values
_COPY = re.compile(r":Copy\d+:")


@dataclass
class SampleResult:
    name: str
    before: Path
    after: Path
    via_cli: bool = False
    error: str = ""  # the one-line reason when refused
    error_type: type[BaseException] | None = None
    written_md: PhotoMetadata | None = None
    warnings: tuple[str, ...] = ()
    sidecar: Path | None = None  # where the metadata went, for photos never written themselves
    problems: dict[str, list[str]] = field(default_factory=lambda: {c: [] for c in CHECKS})

    @property
    def refused(self) -> bool:
        return self.error_type is not None

    @property
    def verdict(self) -> str:
        if self.refused:
            return "refused" if not self.problems["refused"] else "damaged"
        return "damaged" if any(self.problems.values()) else "written losslessly"


def _exiftool(paths: Iterable[Path], *args: str) -> dict[str, dict[str, Any]]:
    """exiftool -j over many files at once, keyed by file name."""
    assert EXIFTOOL is not None
    files = [str(p) for p in paths]
    if not files:
        return {}
    out = subprocess.run(
        [EXIFTOOL, "-j", "-charset", "filename=utf8", *args, *files],
        capture_output=True,
        check=False,
        timeout=120,
    )
    text = out.stdout.decode("utf-8", "replace").strip()
    rows = json.loads(text) if text else []
    return {Path(row["SourceFile"]).name: row for row in rows}


def _group(key: str) -> tuple[str, str]:
    base = _COPY.sub(":", key)
    group, _, tag = base.partition(":")
    return group, tag


def _allowed_change(key: str, before: dict[str, Any]) -> bool:
    group, tag = _group(key)
    if group in _FREE_GROUPS or group.startswith("XMP"):
        return True
    if tag in _EDITED.get(group, frozenset()):
        return True
    if group.startswith("MPImage") and tag == "MPImageStart":
        return True  # exiftool reports it absolute; the MPImage bytes are compared instead
    groups = {_group(k)[0] for k in before}
    if group == "ExifIFD" and "ExifIFD" not in groups:
        return tag in _NEW_EXIF_IFD_BASE  # a new Exif IFD carries the tags a JPEG requires
    if group == "GPS" and "GPS" not in groups and tag == "GPSProcessingMethod":
        return True  # a new GPS IFD in a TIFF carries it (exiftool -validate requires it)
    if "IFD0" not in groups:  # a new EXIF block: its IFD0 has the required resolution tags
        return (group, tag) in _NEW_EXIF_BLOCK or (group == "IFD0" and tag in _NEW_IFD0_BASE)
    return False


def by_tag(row: dict[str, Any]) -> dict[str, list[Any]]:
    """exiftool -a -G1:4 output as "Group:Tag" -> every value, in file order.

    exiftool numbers duplicates ("Copy1") across groups, so adding one XMP tag renumbers a maker
    note tag of the same name; comparing per group and tag ignores that renumbering.
    """
    out: dict[str, list[Any]] = {}
    for key, value in row.items():
        if key != "SourceFile":
            group, tag = _group(key)
            out.setdefault(f"{group}:{tag}", []).append(value)
    return out


def tag_differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Tags that changed, appeared or vanished although we did not edit them."""
    old, new = by_tag(before), by_tag(after)
    problems = []
    for key in sorted(set(old) | set(new)):
        if old.get(key) == new.get(key):
            continue
        if not _allowed_change(key, old):
            problems.append(f"{key}: {old.get(key)!r} -> {new.get(key)!r}")
    return problems


def warning_texts(row: dict[str, Any]) -> set[str]:
    return {
        str(v)
        for k, v in row.items()
        if _group(k)[1] in ("Warning", "Error") and k != "SourceFile"
    }


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def readback_problems(
    md: PhotoMetadata, row: dict[str, Any], *, exif_written: bool, had_iim: bool
) -> list[str]:
    """Compare exiftool's reading of the written file (``-n``) with what was written."""
    problems: list[str] = []
    first = {key: values[0] for key, values in by_tag(row).items()}

    def want(key: str, expected: Any) -> None:
        got = first.get(key)
        if isinstance(expected, float):
            ok = isinstance(got, int | float) and abs(float(got) - expected) < 1e-5
        elif isinstance(expected, list):
            ok = _as_list(got) == expected
        else:
            ok = got is not None and str(got) == str(expected)
        if not ok:
            problems.append(f"{key}: expected {expected!r}, exiftool read {got!r}")

    assert md.date_taken is not None and md.gps is not None and md.gps.alt is not None
    want("XMP-dc:Title", md.title)
    want("XMP-dc:Description", md.caption)
    want("XMP-iptcCore:AltTextAccessibility", md.alt_text)
    want("XMP-iptcCore:ExtDescrAccessibility", md.extended_description)
    want("XMP-dc:Subject", list(md.keywords))
    want("XMP-dc:Creator", list(md.creator))
    want("XMP-photoshop:Credit", md.credit)
    want("XMP-dc:Rights", md.copyright)
    want("XMP-xmpRights:UsageTerms", md.usage_terms)
    want("XMP-xmp:Rating", md.rating)
    want("XMP-photoshop:DateCreated", md.date_taken.strftime("%Y:%m:%d %H:%M:%S+09:00"))
    want("XMP-exif:GPSLatitude", md.gps.lat)
    want("XMP-exif:GPSLongitude", md.gps.lon)
    want("XMP-exif:GPSAltitude", md.gps.alt)
    if exif_written:
        want("IFD0:ImageDescription", md.caption)
        want("IFD0:Artist", "; ".join(md.creator))
        want("IFD0:Copyright", md.copyright)
        want("ExifIFD:DateTimeOriginal", md.date_taken.strftime("%Y:%m:%d %H:%M:%S"))
        want("GPS:GPSLatitude", abs(md.gps.lat))
        want("GPS:GPSLatitudeRef", "N" if md.gps.lat >= 0 else "S")
        want("GPS:GPSLongitude", abs(md.gps.lon))
        want("GPS:GPSLongitudeRef", "E" if md.gps.lon >= 0 else "W")
        want("GPS:GPSAltitude", abs(md.gps.alt))
    if had_iim:
        want("IPTC:ObjectName", md.title)
        want("IPTC:Caption-Abstract", md.caption)
        want("IPTC:Keywords", list(md.keywords))
        want("IPTC:By-line", list(md.creator))
        want("IPTC:Credit", md.credit)
        want("IPTC:CopyrightNotice", md.copyright)
    return problems


def xp_problems(md: PhotoMetadata, row: dict[str, Any]) -> list[str]:
    """XP* tags from ``exiftool -b``: exiftool 12.57 emits a non-BMP character as CESU-8 (two
    UTF-8-encoded surrogates), so the bytes are decoded with surrogatepass and re-joined."""
    problems = []
    first = {key: values[0] for key, values in by_tag(row).items()}
    for tag, expected in (
        ("XPTitle", md.title),
        ("XPComment", md.caption),
        ("XPKeywords", ";".join(md.keywords)),
        ("XPAuthor", "; ".join(md.creator)),
    ):
        raw = first.get(f"IFD0:{tag}")
        if raw is None:
            problems.append(f"IFD0:{tag}: missing")
            continue
        text = decode_binary(raw).decode("utf-8", "surrogatepass")
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        if text != expected:
            problems.append(f"IFD0:{tag}: expected {expected!r}, exiftool read {text!r}")
    return problems


def _pixels(path: Path) -> bytes:
    with Image.open(path) as image:
        image.load()
        return image.tobytes()


def image_problems(before: Path, after: Path) -> list[str]:
    old, new = before.read_bytes(), after.read_bytes()
    if jpeg.is_jpeg(old):
        same = jpeg.image_data(old) == jpeg.image_data(new)
        return [] if same else ["JPEG bytes from SOS to the end differ"]
    return [] if _pixels(before) == _pixels(after) else ["decoded pixels differ"]


def _write_via_cli(path: Path) -> None:
    md = FULL
    assert md.date_taken is not None and md.gps is not None
    args = [
        sys.executable, "-m", "editor", "set", str(path),
        "--title", md.title, "--caption", md.caption, "--alt-text", md.alt_text,
        "--extended-description", md.extended_description,
        "--keywords", "; ".join(md.keywords), "--creator", "; ".join(md.creator),
        "--credit", md.credit, "--copyright", md.copyright, "--usage-terms", md.usage_terms,
        "--date", md.date_taken.isoformat(),
        "--gps", f"{md.gps.lat},{md.gps.lon},{md.gps.alt}", "--rating", str(md.rating),
        # the IPTC set (issue 13)
        "--headline", md.headline, "--caption-writer", md.caption_writer,
        "--person-shown", "; ".join(md.persons_shown), "--event", md.event,
        "--sublocation", md.sublocation, "--city", md.city, "--state", md.state,
        "--country", md.country, "--country-code", md.country_code,
        "--creator-job-title", md.creator_job_title, "--web-statement", md.web_statement,
        "--licensor-name", md.licensor_name, "--licensor-url", md.licensor_url,
        "--creator-address", md.creator_address, "--creator-city", md.creator_city,
        "--creator-region", md.creator_region, "--creator-postal-code", md.creator_postal_code,
        "--creator-country", md.creator_country, "--creator-email", md.creator_email,
        "--creator-phone", md.creator_phone, "--creator-url", md.creator_url,
        "--digital-source-type", "digitalCapture", "--instructions", md.instructions,
        "--job-id", md.job_id, "--source", md.source,
    ]  # fmt: skip
    out = subprocess.run(args, capture_output=True, check=False, timeout=60, text=True)
    if out.returncode != 0:
        line = out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "no message"
        if "Traceback" in out.stderr:
            raise AssertionError(f"traceback from the CLI: {out.stderr}")
        raise PhotoCaptionError(line)


def run_samples(work: Path, names: Iterable[str] | None = None) -> dict[str, SampleResult]:
    """Copy each sample to ``work``, write FULL into the copy and judge it against the original."""
    names = list(sample_files() if names is None else names)
    (work / "before").mkdir(parents=True, exist_ok=True)
    (work / "after").mkdir(parents=True, exist_ok=True)
    results: dict[str, SampleResult] = {}
    for name in names:
        before, after = work / "before" / name, work / "after" / name
        shutil.copyfile(SAMPLES / name, before)
        shutil.copyfile(SAMPLES / name, after)
        result = SampleResult(name, before, after, via_cli=name in VIA_CLI)
        try:
            if result.via_cli:
                _write_via_cli(after)
                record = read_photo(after)
            else:
                record = read_photo(after)
                if not record.writable:
                    from editor.core.errors import UnsafeWriteError

                    raise UnsafeWriteError(record.read_only_reason)
                record = write_photo(after, FULL, expected=record.stamp)
            result.written_md = record.metadata
            result.warnings = record.warnings
            if record.metadata_store == "sidecar":
                result.sidecar = record.sidecar
        except PhotoCaptionError as err:
            result.error, result.error_type = str(err), type(err)
        results[name] = result

    beside = [r for r in results.values() if not r.refused and r.sidecar is not None]
    written = [r for r in results.values() if not r.refused and r.sidecar is None]
    for r in beside:  # HEIC: the photo untouched, its metadata in the sidecar
        if r.before.read_bytes() != r.after.read_bytes():
            r.problems["image"].append("the photo changed, though its metadata goes to a sidecar")
        if EXIFTOOL is not None and r.sidecar is not None:
            row = _exiftool([r.sidecar], "-G1:4", "-a", "-u", "-n").get(r.sidecar.name, {})
            r.problems["readback"].extend(
                readback_problems(normalize(FULL), row, exif_written=False, had_iim=False)
            )
    for r in results.values():
        if r.refused:
            if r.before.read_bytes() != r.after.read_bytes():
                r.problems["refused"].append("refused, but the file changed")
            if not r.error.strip() or "\n" in r.error.strip():
                r.problems["refused"].append(f"reason is not one line: {r.error!r}")
    expected = normalize(FULL)
    for r in written:
        if r.written_md != expected and not r.via_cli:
            wrong = sorted(expected.changed_fields(r.written_md or PhotoMetadata()))
            r.problems["readback"].append(f"read_photo differs in {wrong}")
        try:
            r.problems["image"].extend(image_problems(r.before, r.after))
        except Exception as err:  # Pillow cannot decode some damaged originals
            r.problems["image"].append(f"cannot compare pixels: {err}")
    if EXIFTOOL is None or not written:
        return results

    full = ("-G1:4", "-a", "-u", "-n")
    tags_before = _exiftool((r.before for r in written), *full)
    tags_after = _exiftool((r.after for r in written), *full)
    warn_args = ("-validate", "-warning", "-a", "-G1:4")
    warn_before = _exiftool((r.before for r in written), *warn_args)
    warn_after = _exiftool((r.after for r in written), *warn_args)
    bin_args = ("-b", "-G1:4", "-a", "-ThumbnailImage", "-MPImage2")
    xp_after = _exiftool(
        (r.after for r in written), "-b", "-G1:4", "-a", "-XPTitle", "-XPComment", "-XPKeywords",
        "-XPAuthor",
    )
    bin_before = _exiftool((r.before for r in written), *bin_args)
    bin_after = _exiftool((r.after for r in written), *bin_args)
    for r in written:
        tb, ta = tags_before.get(r.name, {}), tags_after.get(r.name, {})
        exif_written = not any("EXIF" in w and "left alone" in w for w in r.warnings)
        had_iim = any(_group(k)[0] == "IPTC" for k in tb)
        r.problems["readback"].extend(
            readback_problems(expected, ta, exif_written=exif_written, had_iim=had_iim)
        )
        if exif_written:
            r.problems["readback"].extend(xp_problems(expected, xp_after.get(r.name, {})))
        r.problems["tags"].extend(tag_differences(tb, ta))
        old_bin = by_tag(bin_before.get(r.name, {}))
        new_bin = by_tag(bin_after.get(r.name, {}))
        for key in sorted(set(old_bin) | set(new_bin)):
            if old_bin.get(key) != new_bin.get(key):
                r.problems["tags"].append(f"{key} bytes changed")
        new_warnings = warning_texts(warn_after.get(r.name, {})) - warning_texts(
            warn_before.get(r.name, {})
        )
        r.problems["warnings"].extend(sorted(new_warnings))
    return results


def decode_binary(value: Any) -> bytes:
    """exiftool -j -b gives binary values as "base64:..."."""
    text = str(value)
    return base64.b64decode(text[7:]) if text.startswith("base64:") else text.encode()


def main() -> int:
    if not SAMPLES.is_dir():
        print(f"no samples at {SAMPLES}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        results = run_samples(Path(tmp))
    counts: dict[str, int] = {}
    for r in results.values():
        counts[r.verdict] = counts.get(r.verdict, 0) + 1
    print(
        f"{len(results)} sample files: {counts.get('written losslessly', 0)} written losslessly, "
        f"{counts.get('refused', 0)} refused, {counts.get('damaged', 0)} damaged"
        + ("" if EXIFTOOL else " (exiftool missing: tag checks skipped)")
    )
    for r in sorted(results.values(), key=lambda r: (r.verdict, r.name)):
        line = f"  {r.verdict:18} {r.name}"
        if r.refused:
            line += f": {r.error_type.__name__ if r.error_type else ''}: {r.error}"
        print(line)
        for check, items in r.problems.items():
            for item in items:
                print(f"      [{check}] {item}")
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Fuzzing target: mutate real photos and run them through read, thumbnail, write and export.

Only the engine's own error types may come out, nothing may hang (a per-case time limit), and a
write never produces a file that exiftool reads worse than its input.

Run: ``python -m tests.reliability.fuzz --cases 10000`` (``make fuzz``). Seeds come from
../shared/samples when present plus photos generated here; findings (unexpected exceptions,
hangs, worse-than-input writes) are saved to bench/cache/fuzz-findings for triage.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import random
import resource
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import traceback
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import piexif
from PIL import Image

from editor.core.errors import PhotoCaptionError
from editor.core.formats import jpeg
from editor.core.metadata import IimPolicy, read_photo, write_photo
from tests.reliability.layouts import all_layouts

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO.parent / "shared" / "samples"
FINDINGS = REPO / "bench" / "cache" / "fuzz-findings"
CASE_SECONDS = 10
ORACLE_SECONDS = 60  # exiftool itself needs 13 s on some mutants
MEMORY_LIMIT = 4 * 1024**3  # bytes of address space for the whole fuzz process


class CaseTimeout(Exception):
    """A case ran past its time limit: a hang."""


# --- seeds -----------------------------------------------------------------------------------


def generated_seeds(folder: Path) -> list[Path]:
    """Small photos in every writable format, with camera EXIF, thumbnail, GPS, XMP and IPTC."""
    folder.mkdir(parents=True, exist_ok=True)
    img = Image.new("RGB", (320, 200), (30, 90, 160))
    for x in range(0, 320, 8):
        img.paste((x % 255, 200 - x % 200, 90), (x, 0, x + 4, 200))
    thumb = io.BytesIO()
    img.resize((160, 100)).save(thumb, "JPEG")
    exif = piexif.dump(
        {
            "0th": {
                piexif.ImageIFD.Make: b"Canon",
                piexif.ImageIFD.Model: b"Canon EOS R6",
                piexif.ImageIFD.ImageDescription: "Café — 카페".encode(),
                piexif.ImageIFD.Orientation: 6,
            },
            "Exif": {
                piexif.ExifIFD.DateTimeOriginal: b"2024:05:01 10:00:00",
                piexif.ExifIFD.MakerNote: b"Canon\x00" + bytes(range(256)) * 4,
                piexif.ExifIFD.BodySerialNumber: b"123456",
            },
            "GPS": {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: ((37, 1), (33, 1), (5000, 100)),
                piexif.GPSIFD.GPSLongitudeRef: b"E",
                piexif.GPSIFD.GPSLongitude: ((126, 1), (58, 1), (3000, 100)),
            },
            "1st": {piexif.ImageIFD.XResolution: (72, 1)},
            "thumbnail": thumb.getvalue(),
        }
    )
    seeds = []
    for fmt, ext in (("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"), ("TIFF", "tif")):
        path = folder / f"seed.{ext}"
        img.save(path, fmt, exif=exif)
        seeds.append(path)
    # A JPEG that already has XMP and IPTC, written by the engine itself.
    rich = folder / "seed-rich.jpg"
    shutil.copyfile(seeds[0], rich)
    record = read_photo(rich)
    write_photo(
        rich,
        record.metadata.replace(title="Title", keywords=("a", "b"), alt_text="Alt"),
        iim_policy=IimPolicy.ALWAYS,
    )
    seeds.append(rich)
    # Valid but unusual layouts: copies of a fact where a naive engine does not look.
    for name, data in all_layouts().items():
        path = folder / f"layout-{name}"
        path.write_bytes(data)
        seeds.append(path)
    return seeds


def all_seeds(folder: Path) -> list[Path]:
    seeds = generated_seeds(folder)
    if SAMPLES.is_dir():
        seeds += [p for p in sorted(SAMPLES.iterdir()) if p.is_file() and p.suffix.lower() != ".md"]
    return seeds


# --- mutations -------------------------------------------------------------------------------


def _exif_span(data: bytes) -> tuple[int, int] | None:
    """(start, end) of the TIFF structure of a JPEG's EXIF, if it has one."""
    try:
        layout = jpeg.parse_layout(data)
    except PhotoCaptionError:
        return None
    seg = layout.first("exif")
    if seg is None:
        return None
    start = seg.end - len(seg.payload) + len(jpeg.EXIF_HEADER)
    return start, seg.end


def mutate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One random, structure-aware mutation; returns (its name, the mutated bytes)."""
    buf = bytearray(data)
    kind = rng.choice(
        ["bitflip", "truncate", "segment-length", "ifd-count", "ifd-offset", "huge", "splice"]
    )
    span = _exif_span(data)
    if kind == "bitflip" or not buf:
        for _ in range(rng.randint(1, 8)):
            if buf:
                i = rng.randrange(len(buf))
                buf[i] ^= 1 << rng.randrange(8)
    elif kind == "truncate":
        del buf[rng.randrange(len(buf)) :]
    elif kind == "segment-length":
        try:
            segs = jpeg.parse_layout(data).segments
        except PhotoCaptionError:
            segs = ()
        if segs:
            seg = rng.choice(segs)
            value = rng.choice([0, 1, 2, 0xFFFF, rng.randrange(0x10000)])
            buf[seg.start + 2 : seg.start + 4] = struct.pack(">H", value)
        else:
            kind = "bitflip-fallback"
            buf[rng.randrange(len(buf))] ^= 0xFF
    elif kind in ("ifd-count", "ifd-offset") and span:
        start, end = span
        endian = "<" if data[start : start + 2] == b"II" else ">"
        ifd0 = struct.unpack(endian + "I", data[start + 4 : start + 8])[0]
        if kind == "ifd-count" and start + ifd0 + 2 <= end:
            value = rng.choice([0, 0xFFFF, rng.randrange(0x10000)])
            buf[start + ifd0 : start + ifd0 + 2] = struct.pack(endian + "H", value)
        else:
            # Point a random entry's value (or the IFD0 pointer itself) somewhere absurd.
            target = rng.choice([start + 4, start + ifd0 + 2 + 12 * rng.randrange(8) + 8])
            value = rng.choice([0, ifd0, 0xFFFFFFFF, rng.randrange(1 << 32), 8])
            if target + 4 <= len(buf):
                buf[target : target + 4] = struct.pack(endian + "I", value)
    elif kind == "huge":
        i = rng.randrange(len(buf))
        buf[i : i + 4] = b"\xff\xff\xff\x7f"
    else:  # splice: repeat a chunk of the file somewhere else
        a, b = sorted(rng.randrange(len(buf)) for _ in range(2))
        i = rng.randrange(len(buf))
        buf[i:i] = buf[a : min(b, a + 4096)]
    return kind, bytes(buf)


# --- the target ------------------------------------------------------------------------------


@dataclass
class Stats:
    cases: int = 0
    by_mutation: Counter[str] = field(default_factory=Counter)
    read_ok: int = 0
    read_refused: int = 0
    written: int = 0
    write_refused: int = 0
    resaved: int = 0  # written files saved four more times without growing
    exported: int = 0
    oracle_timeouts: int = 0  # exiftool, not the engine, ran past ORACLE_SECONDS
    oracle_deaths: int = 0  # exiftool exited on a case (the case is judged without it)
    findings: list[str] = field(default_factory=list)


class OracleDied(Exception):
    """exiftool itself exited (e.g. perl ran out of memory on a mutant): no answer."""


class Exiftool:
    """One long-running exiftool (-stay_open), so thousands of checks stay fast.

    Output is read as bytes (fuzzed tags need not be valid UTF-8) up to a numbered ready
    marker, so one odd answer can never shift the answers to later questions.
    """

    def __init__(self) -> None:
        self.serial = 0
        self._start()

    def _start(self) -> None:
        self.proc = subprocess.Popen(
            ["exiftool", "-stay_open", "True", "-@", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def restart(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.kill()
        self.proc.wait()
        self._start()

    def tags(self, path: Path) -> dict[str, object]:
        assert self.proc.stdin and self.proc.stdout
        self.serial += 1
        marker = f"{{ready{self.serial}}}".encode()
        try:
            self.proc.stdin.write(f"-j\n-G1\n-a\n-u\n{path}\n-execute{self.serial}\n".encode())
            self.proc.stdin.flush()
        except BrokenPipeError as err:
            raise OracleDied from err
        lines = []
        for line in self.proc.stdout:
            if line.strip() == marker:
                break
            lines.append(line)
        else:
            raise OracleDied  # end of output without the marker: exiftool exited
        try:
            return dict(json.loads(b"".join(lines).decode("utf-8", "replace"))[0])
        except (ValueError, IndexError, TypeError):
            return {}

    def close(self) -> None:
        assert self.proc.stdin
        with contextlib.suppress(OSError):
            self.proc.stdin.write(b"-stay_open\nFalse\n")
            self.proc.stdin.flush()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


_EDITED_GROUPS = ("XMP", "IPTC", "Photoshop", "File", "System", "Composite", "ExifTool")


def _readable_tags(tags: dict[str, object]) -> set[str]:
    return {k for k in tags if not k.startswith(_EDITED_GROUPS) and k != "SourceFile"}


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def on_alarm(_signum: int, _frame: object) -> None:
        raise CaseTimeout(f"case ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _steps() -> list[tuple[str, Callable[[Path], object]]]:
    steps: list[tuple[str, Callable[[Path], object]]] = [("read", read_photo)]
    try:
        from editor.core import thumbnails
    except ImportError:
        return steps
    steps.append(("embedded-thumbnail", thumbnails.embedded_thumbnail))
    steps.append(("decode-thumbnail", lambda p: thumbnails.decode_thumbnail(p, 256)))
    return steps


def _export(path: Path, out: Path) -> int:
    from editor.core.export import ExportItem, ExportOptions, PhotoExported, export_photos

    try:
        md = read_photo(path).metadata
    except PhotoCaptionError:
        return 0
    options = ExportOptions(out_dir=out, long_edge=256, overwrite=True, snippets=(), jobs=1)
    exported = 0
    for event in export_photos([ExportItem(path, md)], options):
        exported += isinstance(event, PhotoExported)
    return exported


def _oracle(exiftool: Exiftool, path: Path, stats: Stats) -> dict[str, object] | None:
    """exiftool's tags, or None when exiftool itself is too slow on this mutant."""
    try:
        with time_limit(ORACLE_SECONDS):
            return exiftool.tags(path)
    except CaseTimeout:
        stats.oracle_timeouts += 1
        exiftool.restart()  # interrupted mid-answer
        return None
    except OracleDied:
        stats.oracle_deaths += 1
        exiftool.restart()
        return None


RESAVE_CAPTIONS = ("Resaved caption one " * 20, "Second, shorter resave")


def _resave(path: Path, stats: Stats) -> None:
    """Save the written file four more times, alternating two captions: every save must read
    back, and the file must not grow from one round of the alternation to the next."""
    sizes = []
    for n in range(4):
        caption = RESAVE_CAPTIONS[n % 2].strip()
        record = read_photo(path)
        write_photo(path, record.metadata.replace(caption=caption), expected=record.stamp)
        if read_photo(path).metadata.caption != caption:
            raise AssertionError(f"resave {n + 1} did not read back")
        sizes.append(path.stat().st_size)
    stats.resaved += 1
    if sizes[3] > sizes[1]:
        raise AssertionError(f"the file grows with each save: {sizes}")


def run_case(
    name: str, data: bytes, work: Path, stats: Stats, exiftool: Exiftool | None, export: bool
) -> None:
    """One mutant through every step. Only the engine's steps count against CASE_SECONDS."""
    case = work / name
    case.write_bytes(data)
    try:
        with time_limit(CASE_SECONDS):
            for step, fn in _steps():
                try:
                    result = fn(case)
                    if step == "read":
                        stats.read_ok += 1
                        assert result is not None
                except PhotoCaptionError:
                    if step == "read":
                        stats.read_refused += 1
        before = _oracle(exiftool, case, stats) if exiftool else None
        with time_limit(CASE_SECONDS):
            try:
                record = read_photo(case)
                write_photo(
                    case, record.metadata.replace(caption="Fuzz ✓ 퍼즈"), expected=record.stamp
                )
            except PhotoCaptionError:
                stats.write_refused += 1
                if case.read_bytes() != data:
                    raise AssertionError("a refused write changed the file") from None
                written = False
            else:
                stats.written += 1
                read_photo(case)  # must read back
                written = True
        if written:
            with time_limit(CASE_SECONDS):
                _resave(case, stats)
        if written and exiftool and before is not None:
            after = _oracle(exiftool, case, stats)
            if after is not None:
                lost = _readable_tags(before) - _readable_tags(after)
                if lost or ("ExifTool:Error" in after and "ExifTool:Error" not in before):
                    raise AssertionError(
                        f"exiftool reads the written file worse: lost {sorted(lost)[:5]}"
                    )
        if export:
            with time_limit(CASE_SECONDS), tempfile.TemporaryDirectory(dir=work) as out:
                stats.exported += _export(case, Path(out))
    except Exception as err:  # anything but the engine's own errors is a finding
        digest = hashlib.sha256(data).hexdigest()[:12]
        FINDINGS.mkdir(parents=True, exist_ok=True)
        (FINDINGS / f"{digest}{case.suffix}").write_bytes(data)
        (FINDINGS / f"{digest}.txt").write_text(traceback.format_exc())
        stats.findings.append(f"{name}: {type(err).__name__}: {err}".splitlines()[0][:200])
    finally:
        case.unlink(missing_ok=True)


def fuzz(
    cases: int,
    seed: int,
    *,
    export_every: int = 20,
    use_exiftool: bool = True,
    use_samples: bool = True,
) -> Stats:
    rng = random.Random(seed)
    stats = Stats()
    exiftool = Exiftool() if use_exiftool and shutil.which("exiftool") else None
    try:
        with tempfile.TemporaryDirectory(prefix="photocaption-fuzz-") as tmp:
            work = Path(tmp)
            paths = all_seeds(work / "seeds") if use_samples else generated_seeds(work / "seeds")
            seeds = [(p.suffix, p.read_bytes()) for p in paths]
            seeds = [(s, d) for s, d in seeds if d]
            for n in range(cases):
                suffix, data = seeds[n % len(seeds)]
                kind, mutated = mutate(data, rng)
                if rng.random() < 0.3:  # sometimes stack a second mutation
                    kind2, mutated = mutate(mutated, rng)
                    kind = f"{kind}+{kind2}"
                stats.by_mutation[kind.split("+")[0]] += 1
                run_case(f"case{n}{suffix}", mutated, work, stats, exiftool, n % export_every == 0)
                stats.cases += 1
    finally:
        if exiftool:
            exiftool.close()
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # Pillow warns about the very damage we inject
    # A memory blow-up must be a finding (MemoryError, input saved), not the OOM killer.
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    start = time.perf_counter()
    stats = fuzz(args.cases, args.seed)
    elapsed = time.perf_counter() - start
    print(f"cases: {stats.cases} in {elapsed:.0f} s; mutations: {dict(stats.by_mutation)}")
    print(f"read: {stats.read_ok} ok, {stats.read_refused} refused with a clear error")
    print(
        f"write: {stats.written} written (exiftool reads them no worse), "
        f"{stats.write_refused} refused untouched; {stats.resaved} saved 4 more times, no growth"
    )
    print(f"export: {stats.exported} exported")
    print(
        f"exiftool (the oracle) too slow to compare: {stats.oracle_timeouts}; "
        f"exited and restarted: {stats.oracle_deaths}"
    )
    print(f"findings (unexpected exceptions, hangs, worse writes): {len(stats.findings)}")
    for finding in stats.findings[:30]:
        print("  ", finding)
    return 1 if stats.findings else 0


if __name__ == "__main__":
    raise SystemExit(main())

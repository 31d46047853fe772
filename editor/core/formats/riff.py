"""What PNG and WebP share: a file split into chunks, each kept byte for byte unless we own it."""

from __future__ import annotations

import struct
from dataclasses import dataclass


@dataclass(frozen=True)
class Chunk:
    fourcc: bytes
    raw: bytes  # header + payload + padding (PNG: + CRC), exactly as stored

    @property
    def payload(self) -> bytes:
        """The data of a RIFF (little-endian size) chunk."""
        size = struct.unpack("<I", self.raw[4:8])[0]
        return self.raw[8 : 8 + size]

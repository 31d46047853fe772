"""The engine's own error types: every failure the core reports is one of these."""


class PhotoCaptionError(Exception):
    """Base of every error the core raises; ``str(err)`` is a one-line reason for the user."""


class UnreadableFileError(PhotoCaptionError):
    """The file is missing, a folder, empty, truncated, or not an image we can parse."""


class UnsupportedFormatError(PhotoCaptionError):
    """The format is recognised but cannot be read or written by us."""


class MetadataFormatError(PhotoCaptionError):
    """A metadata block (EXIF, XMP, IPTC) is malformed beyond what we tolerate."""


class UnsafeWriteError(PhotoCaptionError):
    """A write was refused because it could not be done safely; the file is untouched."""


class FileChangedError(UnsafeWriteError):
    """The file changed on disk since it was read; writing would lose someone else's change."""


class VerifyError(UnsafeWriteError):
    """The freshly written temp file did not read back as intended; it was discarded."""

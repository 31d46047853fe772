"""Qt-free core: metadata engine, thumbnails, library, export. Never imports PySide6."""

from editor.core.formats.heif import register_opener

# Let every Pillow decode in the core (thumbnails, previews, export) open iPhone HEIC files.
register_opener()

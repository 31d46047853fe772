"""Qt-free core: metadata engine, thumbnails, library, export. Never imports PySide6."""

"""PhotoCaption: caption, credit and export photos for articles."""

__version__ = "0.1.0"

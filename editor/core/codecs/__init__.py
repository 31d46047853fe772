"""Metadata codecs: EXIF, XMP, IPTC-IIM, TIFF structure, reconciliation; driven by fields.py."""

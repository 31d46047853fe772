"""`photocaption publish`: upload photos to WordPress and make a draft post of image blocks.

The application password comes from ``--app-password-env VAR`` or the system keyring (service
"photocaption", user "USER@SITE"), never from a file or the command line, and is never printed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from editor.cli_cancel import cancel_on_sigint
from editor.core.errors import PhotoCaptionError
from editor.core.export import ExportOptions
from editor.core.export.profiles import ProfileError, find_profile
from editor.core.publish import (
    STATUSES,
    MediaPublished,
    PhotoNotPublished,
    PublishError,
    PublishFinished,
    PublishOptions,
    PublishResult,
    publish_photos,
)
from editor.core.publish.wp import normalize_site

PROG = "photocaption"
KEYRING_SERVICE = "photocaption"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``publish`` on the main parser's subparsers; dispatches to ``run``."""
    p = subparsers.add_parser(
        "publish",
        help="upload photos to WordPress as a draft post with alt text and captions",
        description="Upload each photo (one large JPEG) to a WordPress site's media library "
        "with its alt text, caption, title and description, then create or update a draft post "
        "with one image block per photo, in the order given (a folder's photos in its story "
        "order, as arranged in the app). Publishing the same photos again updates the same "
        "media items and post. Originals are only read.",
    )
    p.add_argument("paths", nargs="+", metavar="FOLDER_OR_FILES")
    p.add_argument("--site", required=True, metavar="URL", help="e.g. https://example.org")
    p.add_argument("--user", required=True, metavar="NAME", help="WordPress user name")
    p.add_argument("--post-title", default="", metavar="T",
                   help="default: the first photo's headline or title")
    p.add_argument("--status", choices=STATUSES, default="draft")
    p.add_argument("--app-password-env", metavar="VAR",
                   help="environment variable holding the application password (default: the "
                   'system keyring, service "photocaption", user "NAME@URL")')
    p.add_argument("--profile", default="wordpress", metavar="NAME",
                   help="the outlet profile shaping the uploaded JPEG (size, quality, size cap, "
                   "sharpening, metadata, credit line); default wordpress (2048 px, quality 85)")
    p.add_argument("--long-edge", type=int, metavar="N",
                   help="long edge of the uploaded JPEG in pixels (overrides the profile)")
    p.add_argument("--quality", type=int, metavar="Q", help="1-100 (overrides the profile)")
    p.add_argument("--credit",
                   help="credit line template: {creator} {credit} {copyright} {year} "
                   "(overrides the profile)")
    p.set_defaults(func=run)
    return p


def keyring_user(user: str, site: str) -> str:
    return f"{user}@{site}"


def find_password(args: argparse.Namespace, site: str) -> str:
    """The application password, from the named variable or the keyring; PublishError if none."""
    if args.app_password_env:
        value = os.environ.get(args.app_password_env, "")
        if not value.strip():
            raise PublishError(f"the environment variable {args.app_password_env} is not set "
                               "or empty")
        return value.strip()
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        raise PublishError("no application password: pass --app-password-env VAR (the keyring "
                           "package is not installed)") from None
    try:
        value = keyring.get_password(KEYRING_SERVICE, keyring_user(args.user, site))
    except (KeyringError, RuntimeError, OSError):
        raise PublishError("no system keyring is available to hold the application password; "
                           "pass --app-password-env VAR") from None
    if not value:
        raise PublishError(
            f'no application password in the keyring for "{keyring_user(args.user, site)}" '
            f'(service "{KEYRING_SERVICE}"); store one there or pass --app-password-env VAR')
    return value.strip()


def print_result(result: PublishResult) -> None:
    n = len(result.media)
    print(f"{n} photo{'s' if n != 1 else ''} in the media library of {result.site}")
    if result.post_id:
        verb = "Created" if result.post_created else "Updated"
        print(f"{verb} post {result.post_id}")
        print(f"  edit:    {result.edit_url}")
        print(f"  preview: {result.preview_url}")


def run(args: argparse.Namespace) -> int:
    """Run ``photocaption publish``; returns the exit status."""
    from editor.cli_export import collect_items

    try:
        site = normalize_site(args.site)
        password = find_password(args, site)
    except PublishError as err:
        print(f"{PROG}: publish: {err}", file=sys.stderr)
        return 1
    if (args.long_edge is not None and args.long_edge < 16) or (
            args.quality is not None and not 1 <= args.quality <= 100):
        print(f"{PROG}: publish: --long-edge must be at least 16 and --quality 1-100",
              file=sys.stderr)
        return 2
    try:
        export = find_profile(args.profile).apply(ExportOptions(out_dir=Path(".")))
    except ProfileError as err:
        print(f"{PROG}: publish: {err}", file=sys.stderr)
        return 2
    overrides = {k: v for k, v in (("long_edge", args.long_edge), ("quality", args.quality),
                                   ("credit_template", args.credit)) if v is not None}
    if args.long_edge is not None:
        overrides["sizes"] = ()
    export = export.replace(**overrides)
    items = collect_items(list(args.paths), Path(tempfile.gettempdir()) / ".no-output")
    if not items:
        print(f"{PROG}: publish: nothing to publish: no readable photos in the given paths",
              file=sys.stderr)
        return 1
    options = PublishOptions(site=site, user=args.user, app_password=password,
                             post_title=args.post_title, status=args.status, export=export)
    result: PublishResult | None = None
    with cancel_on_sigint() as cancel:
        try:
            print(f"Publishing {len(items)} photo{'s' if len(items) != 1 else ''} to {site}…",
                  file=sys.stderr)
            for event in publish_photos(items, options, cancel):
                if isinstance(event, MediaPublished):
                    print(f"[{event.done}/{event.total}] {event.source.name} -> media "
                          f"{event.media_id} ({event.action})", file=sys.stderr)
                elif isinstance(event, PhotoNotPublished):
                    print(f"[{event.done}/{event.total}] {event.source.name}: {event.reason}",
                          file=sys.stderr)
                elif isinstance(event, PublishFinished):
                    result = event.result
        except PhotoCaptionError as err:
            print(f"{PROG}: publish: {err}", file=sys.stderr)
            return 1
    assert result is not None
    print_result(result)
    if result.cancelled:
        print(f"{PROG}: publish cancelled; what was uploaded is listed above and a new run "
              "continues", file=sys.stderr)
        return 130
    if result.error:
        print(f"{PROG}: publish: {result.error}", file=sys.stderr)
        if result.media:
            print(f"{PROG}: publish: {len(result.media)} uploaded before that; run again to "
                  "continue", file=sys.stderr)
        return 1
    return 1 if result.failures or not result.post_id else 0

"""Publish photos to WordPress as a draft post of captioned image blocks (Qt-free).

``publish_photos(items, options, cancel)`` yields progress events like ``export_photos``; the
CLI (``photocaption publish``) and a future GUI dialog both consume them. For each photo, in the
order given (the story order): export one JPEG with the export pipeline into a temporary folder
(the original is only read), upload it to ``/wp/v2/media`` under its title slug, set the media
item's ``alt_text``, ``caption``, ``title`` and ``description`` from the photo's fields; then
create or update one post holding a core/image block per photo (see ``blocks``).

Re-publishing (``state``): the record maps each photo to its media id and the hash of its
exported image data, and the photo set to its post id. WordPress's REST API cannot replace an
attachment's file, so a photo whose exported image data is unchanged only gets its fields
updated (same media id, nothing re-sent); one whose pixels changed is uploaded anew and the old
media item deleted once the new one is in place (never an orphan duplicate, never a loss). The
post is updated in place (its content and title); a post that was already published keeps its
status. Items deleted on the site are recreated.

Fields: caption (with the credit line), description and titles are sent as HTML with ``&`` and
``<`` escaped, so they show as typed; WordPress itself strips tag-like text (``<door>``) from a
media item's alt text (sanitize_text_field), while the post's block keeps the full alt text.

Errors: a per-photo problem (export failure, over the upload limit) fails that photo and goes
on; a network error, a refused password or a server error stops with one clear line in the
result. Either way what was uploaded is in the events and the record, so a retry continues.
Cancel (the ``threading.Event``) is checked between steps and between 64 KB upload chunks.
"""

from __future__ import annotations

import dataclasses
import html
import shutil
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from editor.core.errors import PhotoCaptionError
from editor.core.export import (
    ExportItem,
    ExportOptions,
    PhotoExport,
    PhotoExported,
    PhotoFailed,
    export_photos,
)
from editor.core.export.profiles import BUILTIN_BY_NAME
from editor.core.export.snippets import main_image
from editor.core.publish.blocks import caption_html, image_block, post_content
from editor.core.publish.state import PublishState, image_hash, set_key
from editor.core.publish.wp import (
    PublishCancelled,
    PublishError,
    WordPressClient,
    normalize_site,
)

__all__ = [
    "MediaPublished", "PhotoNotPublished", "PublishError", "PublishEvent", "PublishFinished",
    "PublishOptions", "PublishResult", "PublishStarted", "publish_photos",
]

STATUSES = ("draft", "pending")


def _wordpress_export() -> ExportOptions:
    return BUILTIN_BY_NAME["wordpress"].apply(ExportOptions(out_dir=Path(".")))


@dataclass(frozen=True)
class PublishOptions:
    """Where and how to publish. ``export`` shapes the uploaded file: an outlet profile applied
    to ExportOptions (default: the built-in "wordpress" profile, one 2048 px JPEG); its folder,
    formats and snippets are overridden: one JPEG (a responsive profile's largest width), no
    snippets; size cap, sharpening, quality, metadata and credit template are the profile's."""

    site: str
    user: str
    app_password: str = field(repr=False)
    post_title: str = ""  # default: the first photo's headline, else its title
    status: str = "draft"
    export: ExportOptions = field(default_factory=_wordpress_export)
    state_dir: Path | None = None  # default: $XDG_DATA_HOME/photocaption/publish
    timeout: float = 120.0

    def replace(self, **changes: object) -> PublishOptions:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class PublishEvent:
    """``done`` of ``total`` photos are finished (uploaded, updated or failed)."""

    done: int
    total: int


@dataclass(frozen=True)
class PublishStarted(PublishEvent):
    site: str


@dataclass(frozen=True)
class MediaPublished(PublishEvent):
    index: int
    source: Path
    media_id: int
    url: str  # the uploaded file's URL
    action: str  # "uploaded", "replaced" (new pixels) or "updated" (fields only)


@dataclass(frozen=True)
class PhotoNotPublished(PublishEvent):
    index: int
    source: Path
    reason: str


@dataclass(frozen=True)
class PublishResult:
    site: str
    post_id: int | None
    edit_url: str
    preview_url: str
    media: tuple[tuple[Path, int], ...]  # in story order, the photos that made it
    failures: tuple[tuple[Path, str], ...]
    cancelled: bool
    error: str = ""  # why publishing stopped early ("" when it did not)
    post_created: bool = False


@dataclass(frozen=True)
class PublishFinished(PublishEvent):
    result: PublishResult


@dataclass
class _Media:
    media_id: int
    src: str
    size_slug: str
    alt: str
    caption: str  # HTML


def _validate(options: PublishOptions) -> str:
    if options.status not in STATUSES:
        raise PublishError(f"unknown status {options.status!r} (choose draft or pending)")
    if not options.user.strip():
        raise PublishError("no WordPress user name given")
    if not options.app_password.strip():
        raise PublishError("no application password given")
    return normalize_site(options.site)


def default_title(items: Sequence[ExportItem]) -> str:
    for item in items:
        m = item.metadata
        for text in (m.headline, m.title):
            if isinstance(text, str) and text.strip():
                return " ".join(text.split())
    return "Photo story"


def _text(value: str) -> str:
    """A plain field as HTML for WordPress's caption/description (rendered as HTML)."""
    return "<br>".join(html.escape(line.strip(), quote=False)
                       for line in value.strip().splitlines() if line.strip())


def _inline(value: str) -> str:
    """A title as HTML (WordPress titles are HTML): one line, ``&`` and ``<`` escaped."""
    return " ".join(value.split()).replace("&", "&amp;").replace("<", "&lt;")


def _sizes(media: dict[str, object]) -> tuple[str, str]:
    details = media.get("media_details")
    sizes = details.get("sizes") if isinstance(details, dict) else None
    large = sizes.get("large") if isinstance(sizes, dict) else None
    if isinstance(large, dict) and large.get("source_url"):
        return str(large["source_url"]), "large"
    return str(media.get("source_url", "")), "full"


class _Publisher:
    def __init__(self, items: Sequence[ExportItem], options: PublishOptions, site: str,
                 cancel: threading.Event | None) -> None:
        self.items = items
        self.options = options
        self.site = site
        self.cancel = cancel
        self.client = WordPressClient(site, options.user, options.app_password,
                                      options.timeout, cancel)
        self.state = PublishState.load(site, options.state_dir)

    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def publish_one(self, photo: PhotoExport, out_dir: Path) -> tuple[_Media, str]:
        m = photo.metadata
        file = main_image(photo)
        data = (out_dir / file.name).read_bytes()
        digest = image_hash(data)
        key = str(photo.source.resolve())
        known = self.state.photos.get(key)
        media = None
        action = "uploaded"
        if known is not None:
            old = self.client.get(f"/wp/v2/media/{known['media_id']}")
            if old is not None and known.get("image_hash") == digest:
                media, action = old, "updated"
            elif old is not None:
                action = "replaced"
        if media is None:
            media = self.client.upload_media(data, file.name)
            self.state.photos[key] = {"media_id": int(media["id"]), "image_hash": digest}
            self.state.save()  # the upload is recorded before anything else can fail
            if known is not None and action == "replaced":
                self.client.delete_media(int(known["media_id"]))
        caption = caption_html(m.caption, photo.credit_line)
        fields = {
            "title": _inline(m.title) or photo.base,
            "alt_text": " ".join(m.alt_text.split()),
            "caption": caption,
            "description": _text(m.extended_description) or _text(m.caption),
        }
        media = self.client.update(f"/wp/v2/media/{int(media['id'])}", fields)
        src, slug = _sizes(media)
        return _Media(int(media["id"]), src, slug, fields["alt_text"], caption), action

    def publish_post(self, media: Sequence[_Media]) -> tuple[int, bool]:
        content = post_content([image_block(x.media_id, x.src, x.alt, x.caption, x.size_slug)
                                for x in media])
        title = _inline(self.options.post_title) or _inline(default_title(self.items))
        key = set_key(Path(str(i.path.resolve())) for i in self.items)
        post_id = self.state.posts.get(key)
        if post_id is not None:
            post = self.client.get(f"/wp/v2/posts/{post_id}")
            if post is not None and post.get("status") != "trash":
                fields: dict[str, object] = {"title": title, "content": content}
                if post.get("status") in ("draft", "pending", "auto-draft"):
                    fields["status"] = self.options.status
                self.client.update(f"/wp/v2/posts/{post_id}", fields)
                return post_id, False
        post = self.client.create_post({"title": title, "content": content,
                                        "status": self.options.status})
        self.state.posts[key] = int(post["id"])
        self.state.save()
        return int(post["id"]), True


def publish_photos(
    items: Sequence[ExportItem],
    options: PublishOptions,
    cancel: threading.Event | None = None,
) -> Iterator[PublishEvent]:
    """Publish ``items`` in order; yield PublishStarted, one MediaPublished/PhotoNotPublished
    each, PublishFinished. Raises PublishError before any work when the options cannot work
    or the site refuses the user (checked first, so a wrong password uploads nothing)."""
    site = _validate(options)
    pub = _Publisher(items, options, site, cancel)
    pub.client.me()  # network and password check before exporting anything
    total = len(items)
    yield PublishStarted(0, total, site)
    work = Path(tempfile.mkdtemp(prefix="photocaption-publish-"))
    shape = options.export
    long_edge = shape.long_edge if not shape.sizes else max(shape.sizes)
    export = shape.replace(out_dir=work, formats=("jpeg",), sizes=(), snippets=(),
                           overwrite=True, long_edge=long_edge)
    published: dict[int, _Media] = {}
    sources: dict[int, Path] = {}
    failures: list[tuple[Path, str]] = []
    error = ""
    done = 0
    post_id: int | None = None
    created = False
    stream = export_photos(items, export, cancel)
    ready: dict[int, PhotoExport] = {}
    skip: set[int] = set()
    next_index = 0
    try:
        for event in stream:
            if isinstance(event, PhotoFailed):
                done += 1
                skip.add(event.index)
                failures.append((event.source, event.reason))
                yield PhotoNotPublished(done, total, event.index, event.source, event.reason)
            elif isinstance(event, PhotoExported):
                ready[event.photo.index] = event.photo
            # Upload in story order as soon as the next photo is exported.
            while not error and (next_index in ready or next_index in skip):
                photo = ready.pop(next_index, None)
                next_index += 1
                if photo is None:
                    continue
                if pub.cancelled():
                    break
                try:
                    media, action = pub.publish_one(photo, work)
                except PublishCancelled:
                    break
                except PublishError as err:
                    done += 1
                    failures.append((photo.source, str(err)))
                    yield PhotoNotPublished(done, total, photo.index, photo.source, str(err))
                    if err.fatal:
                        error = str(err)
                    continue
                except PhotoCaptionError as err:  # the record could not be saved
                    error = str(err)
                    break
                except (KeyError, TypeError, ValueError) as err:
                    error = f"{site} gave an unexpected answer ({type(err).__name__}: {err})"
                    break
                done += 1
                published[photo.index] = media
                sources[photo.index] = photo.source
                yield MediaPublished(done, total, photo.index, photo.source, media.media_id,
                                     media.src, action)
            if error or pub.cancelled():
                break
    except PhotoCaptionError as err:  # the export could not start (options, temp folder)
        error = str(err)
    finally:
        stream.close()
        shutil.rmtree(work, ignore_errors=True)
    cancelled = pub.cancelled()
    ordered = [published[i] for i in sorted(published)]
    if ordered and not cancelled and not error:
        try:
            post_id, created = pub.publish_post(ordered)
        except PublishCancelled:
            cancelled = True
        except PhotoCaptionError as err:
            error = str(err)
        except (KeyError, TypeError, ValueError) as err:
            error = f"{site} gave an unexpected answer ({type(err).__name__}: {err})"
    edit = f"{site}/wp-admin/post.php?post={post_id}&action=edit" if post_id else ""
    preview = f"{site}/?p={post_id}&preview=true" if post_id else ""
    result = PublishResult(
        site=site, post_id=post_id, edit_url=edit, preview_url=preview,
        media=tuple((sources[i], published[i].media_id) for i in sorted(published)),
        failures=tuple(failures), cancelled=cancelled, error=error, post_created=created)
    yield PublishFinished(done, total, result)

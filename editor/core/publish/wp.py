"""A small WordPress REST client on the standard library (urllib), Application Password auth.

Why urllib and not ``requests``: we make a handful of JSON calls and one streamed upload per
photo; urllib does both, and streaming the body from an iterable lets an upload stop between
64 KB chunks when the user cancels. ``requests`` would add two dependencies for no gain here.

Routes are reached as ``SITE/?rest_route=/wp/v2/...``, which every WordPress answers, with or
without pretty permalinks. Every failure becomes one :class:`PublishError` line for the user.
"""

from __future__ import annotations

import base64
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.client import HTTPException
from typing import Any

from editor.core.errors import PhotoCaptionError

CHUNK = 64 * 1024
USER_AGENT = "PhotoCaption-publish/1"


class PublishError(PhotoCaptionError):
    """One line for the user. ``fatal``: publishing cannot go on (network, password, server);
    otherwise only the current photo failed (e.g. too large for the upload limit)."""

    def __init__(self, message: str, *, fatal: bool = True, status: int | None = None) -> None:
        super().__init__(message)
        self.fatal = fatal
        self.status = status


class PublishCancelled(Exception):
    """The user cancelled during a request; nothing is reported as an error."""


def normalize_site(url: str) -> str:
    """``example.org/blog/`` -> ``https://example.org/blog``; raises PublishError when unusable."""
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PublishError(f"not a web address: {url!r} (expected e.g. https://example.org)")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def _message(body: bytes) -> tuple[str, str]:
    try:
        data = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        return "", ""
    if isinstance(data, dict):
        return str(data.get("code", "")), " ".join(str(data.get("message", "")).split())
    return "", ""


def explain(status: int, body: bytes, site: str) -> PublishError:
    """The user's line for an HTTP error answer."""
    code, message = _message(body)
    said = f": {message}" if message else ""
    if status == 401:
        return PublishError(
            f"{site} refused the user name or application password (HTTP 401{said}); check "
            "--user and create a new application password if it was revoked", status=status)
    if status == 403:
        return PublishError(f"{site}: this user may not do that (HTTP 403{said})", status=status)
    if status == 413 or "upload_max_filesize" in message or code in (
            "rest_upload_no_data", "rest_upload_file_too_big", "rest_upload_limited_space"):
        return PublishError(
            f"the photo is larger than the site's upload limit (HTTP {status}{said}); lower "
            "--long-edge or raise upload_max_filesize/post_max_size on the server",
            fatal=False, status=status)
    if status >= 500:
        return PublishError(f"{site} had a server error (HTTP {status}{said}); try again later",
                            status=status)
    if status == 404 and code == "rest_no_route":
        return PublishError(f"{site} has no WordPress REST API at this address (HTTP 404)",
                            status=status)
    detail = said or (f" ({code})" if code else "")
    return PublishError(f"{site} answered HTTP {status}{detail}",
                        fatal=status not in (400, 404, 410), status=status)


def _object(answer: Any, site: str) -> dict[str, Any]:
    if not isinstance(answer, dict):
        raise PublishError(f"{site} gave an unexpected answer (not a WordPress object)")
    return answer


class WordPressClient:
    """Authenticated JSON calls to one site. Never logs or repeats the password."""

    def __init__(self, site: str, user: str, app_password: str, timeout: float = 60.0,
                 cancel: threading.Event | None = None) -> None:
        self.site = normalize_site(site)
        token = base64.b64encode(f"{user}:{app_password}".encode()).decode("ascii")
        self._auth = f"Basic {token}"
        self.timeout = timeout
        self.cancel = cancel

    def url(self, route: str, params: dict[str, Any] | None = None) -> str:
        query = {"rest_route": route, **(params or {})}
        return f"{self.site}/?{urllib.parse.urlencode(query)}"

    def request(self, method: str, route: str, *, params: dict[str, Any] | None = None,
                json_body: Any = None, data: bytes | None = None,
                headers: dict[str, str] | None = None) -> Any:
        """One call; returns the decoded JSON answer or raises PublishError/PublishCancelled."""
        head = {"Authorization": self._auth, "User-Agent": USER_AGENT,
                "Accept": "application/json", **(headers or {})}
        body: Any = None
        if json_body is not None:
            body = json.dumps(json_body).encode("utf-8")
            head["Content-Type"] = "application/json; charset=utf-8"
        elif data is not None:
            head["Content-Length"] = str(len(data))
            body = self._chunks(data)
        req = urllib.request.Request(self.url(route, params), data=body, headers=head,
                                     method=method)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as answer:
                raw = answer.read()
                final = answer.geturl()
        except urllib.error.HTTPError as err:
            raise explain(err.code, err.read() or b"", self.site) from None
        except PublishCancelled:
            raise
        except (urllib.error.URLError, OSError, HTTPException) as err:
            if self.cancel is not None and self.cancel.is_set():
                raise PublishCancelled from None
            reason = getattr(err, "reason", None) or err
            if isinstance(reason, OSError) and reason.strerror:
                reason = reason.strerror
            raise PublishError(f"cannot reach {self.site} ({reason})") from None
        if not final.startswith(self.site + "/"):
            moved = final.split("/?", 1)[0].split("/wp-json", 1)[0].rstrip("/")
            raise PublishError(f"{self.site} redirects to {moved}; use --site {moved}")
        try:
            return json.loads(raw.decode("utf-8")) if raw.strip() else None
        except ValueError:
            raise PublishError(f"{self.site} did not answer like WordPress (not JSON); "
                               "is this the site's address?") from None

    def _chunks(self, data: bytes) -> Iterator[bytes]:
        for start in range(0, len(data), CHUNK):
            if self.cancel is not None and self.cancel.is_set():
                raise PublishCancelled
            yield data[start:start + CHUNK]

    # The few calls publishing needs.
    def me(self) -> dict[str, Any]:
        return _object(self.request("GET", "/wp/v2/users/me", params={"context": "edit"}),
                       self.site)

    def upload_media(self, data: bytes, filename: str, mime: str = "image/jpeg") -> dict[str, Any]:
        return _object(self.request("POST", "/wp/v2/media", data=data, headers={
            "Content-Type": mime,
            "Content-Disposition": f'attachment; filename="{filename}"',
        }), self.site)

    def get(self, route: str) -> dict[str, Any] | None:
        """The item at ``route`` (edit context), or None when it no longer exists."""
        try:
            return _object(self.request("GET", route, params={"context": "edit"}), self.site)
        except PublishError as err:
            if err.status in (404, 410):
                return None
            raise

    def update(self, route: str, fields: dict[str, Any]) -> dict[str, Any]:
        return _object(self.request("POST", route, json_body=fields), self.site)

    def create_post(self, fields: dict[str, Any]) -> dict[str, Any]:
        return _object(self.request("POST", "/wp/v2/posts", json_body=fields), self.site)

    def delete_media(self, media_id: int) -> None:
        try:
            self.request("DELETE", f"/wp/v2/media/{media_id}", params={"force": "true"})
        except PublishError as err:
            if err.status not in (404, 410):
                raise

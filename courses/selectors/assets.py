"""Course files (images, downloads), stored by content hash at import."""

from __future__ import annotations

from courses.models import Asset


def asset_content(*, sha256: str) -> tuple[str, bytes] | None:
    """The media type and bytes of the stored file with this digest."""
    found = Asset.objects.filter(sha256=sha256).values_list("media_type", "data").first()
    return (found[0], bytes(found[1])) if found else None

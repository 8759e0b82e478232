"""What a producer may upload: the documented video types, up to PORTAL_MAX_UPLOAD_BYTES."""
from __future__ import annotations

# the container formats the studio delivers and Mux ingests, by their media type
VIDEO_TYPES = (
    "video/mp4",          # .mp4
    "video/quicktime",    # .mov (ProRes masters)
    "video/x-matroska",   # .mkv
    "video/webm",         # .webm
    "video/x-msvideo",    # .avi
    "video/mpeg",         # .mpg
    "video/mp2t",         # .ts
    "application/mxf",    # .mxf (broadcast masters)
)


def type_problem(content_type: str) -> str | None:
    if content_type.strip().lower() not in VIDEO_TYPES:
        return f"Not a video type the portal accepts; accepted: {', '.join(VIDEO_TYPES)}."
    return None


def size_problem(size_bytes: int, max_bytes: int) -> str | None:
    if size_bytes > max_bytes:
        return f"At most {max_bytes} bytes ({max_bytes / 1024 ** 3:g} GiB)."
    return None

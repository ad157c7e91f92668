"""An upload handler that stops storing a file once it passes the upload limit.

Django would otherwise write an upload of any size to a temporary file before a view could refuse it. This
handler sits first: past ``DISCLOSURE_MAX_UPLOAD_BYTES`` it swallows the rest of the file's chunks and hands
the view a zero-content file that still reports the full size, so the intake service refuses it with its
usual "too large" reason (a form error, or 413 on the API) and nothing big ever reaches the disk.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizedUpload(UploadedFile):
    """Stands in for a file that was too large to keep; ``size`` is how much arrived."""

    def __init__(self, *, name: str, content_type: str, size: int) -> None:
        super().__init__(io.BytesIO(b""), name=name, content_type=content_type, size=size)


class UploadSizeLimitHandler(FileUploadHandler):
    def new_file(self, *args: object, **kwargs: object) -> None:
        super().new_file(*args, **kwargs)  # type: ignore[arg-type]
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.DISCLOSURE_MAX_UPLOAD_BYTES:
            return None  # later handlers stop receiving: nothing more is written
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received > settings.DISCLOSURE_MAX_UPLOAD_BYTES:
            return OversizedUpload(
                name=self.file_name or "upload", content_type=self.content_type or "", size=self.received
            )
        return None  # within the limit: the next handler builds the real file

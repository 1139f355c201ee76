"""Any S3-compatible bucket as the server's storage (S3, MinIO, R2, GCS's XML API), presigned with boto3.

``methodic dev-server --storage s3 --s3-bucket B [--s3-endpoint-url URL]`` uses this instead of the
local storage service; credentials come from boto3's standard chain (``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, profiles, ...). Objects live under ``<asset_id>/<component>``. A multipart
upload's layout (size, part size) is kept in a small object ``.methodic-multipart/<upload_id>`` so
that it survives a server restart; S3 itself does not keep it.

What storage holds is verified the only way S3 allows for a sha256 the client computed: finalize
streams the object back and hashes it (part-wise for a component assembled from parts). That costs
one server-side read per component, and S3's own ETag (an md5, or an md5 of md5s) proves nothing the
client can check without reading the file twice.

No upload is orphaned for good (S3 keeps an unfinished upload's parts, and bills them, until it is
aborted): a start for a key that has an unfinished upload reuses it when its layout is the same and
aborts it otherwise; :meth:`S3Storage.abort_uploads` aborts an asset's uploads once it takes no more,
and :meth:`S3Storage.unfinished_uploads` tells the watchdog how long each has been idle.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import Iterator
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from methodic_contract import part_count
from methodic_server.errors import ApiError, bad_request
from methodic_server.multipart import Unfinished, check_layout, invalid_part, no_such_upload
from methodic_server.storage import StorageFaults, read_checksum
from methodic_server.store.assets import SAFE_COMPONENT

_LAYOUTS = ".methodic-multipart/"
#: An asset id (a UUID): only keys under one are this server's to abort.
_ASSET_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class _Body:
    """A botocore streaming body as a ``read(n)`` file for :func:`read_checksum`."""

    def __init__(self, body: Any) -> None:
        self.body = body

    def read(self, n: int) -> bytes:
        data: bytes = self.body.read(n)
        return data


#: Seconds to wait for CompleteMultipartUpload's answer (minutes for objects of many GiB).
COMPLETE_READ_TIMEOUT = 900


class S3Storage:
    """Object storage in an S3-compatible bucket."""

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, region: str | None = None) -> None:
        self.bucket = bucket
        config = Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"mode": "standard"})
        self.client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region, config=config)
        # Completing a multipart upload of many GiB can take minutes (S3 says so, and keeps the connection
        # alive meanwhile; moto answers only at the end): a read timeout of a minute would retry a
        # complete that is still running, and the retry finds the upload gone.
        self._completing = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            config=config.merge(
                Config(read_timeout=COMPLETE_READ_TIMEOUT, retries={"mode": "standard", "max_attempts": 1})
            ),
        )
        self.base_url = endpoint_url or "https://s3.amazonaws.com"
        #: Only ``expire_urls`` (URLs are signed for one second) and ``delay`` (each read-back of an object
        #: waits that long first) apply here; the rest is the local service's.
        self.faults = StorageFaults()

    def __repr__(self) -> str:
        return f"<S3Storage bucket={self.bucket!r} endpoint={self.base_url!r}>"

    def _key(self, asset_id: str, component: str) -> str:
        if "/" in asset_id or asset_id in ("", ".", "..") or not SAFE_COMPONENT.fullmatch(component):
            raise bad_request(f"component {component!r} is not a valid object path")
        return f"{asset_id}/{component}"

    def _ttl(self, ttl: float) -> int:
        return 1 if self.faults.expire_urls else max(1, int(ttl))

    def presign(self, method: str, asset_id: str, component: str, ttl: float) -> tuple[str, int]:
        """A presigned ``PUT`` or ``GET`` URL for one component."""
        operation = "put_object" if method == "PUT" else "get_object"
        seconds = self._ttl(ttl)
        url = self.client.generate_presigned_url(
            operation, Params={"Bucket": self.bucket, "Key": self._key(asset_id, component)}, ExpiresIn=seconds
        )
        return str(url), int(time.time()) + seconds

    def presign_part(
        self, asset_id: str, component: str, upload_id: str, part_number: int, ttl: float
    ) -> tuple[str, int]:
        """A presigned ``upload_part`` URL."""
        seconds = self._ttl(ttl)
        url = self.client.generate_presigned_url(
            "upload_part",
            Params={
                "Bucket": self.bucket,
                "Key": self._key(asset_id, component),
                "UploadId": upload_id,
                "PartNumber": part_number,
            },
            ExpiresIn=seconds,
        )
        return str(url), int(time.time()) + seconds

    def _layout(self, upload_id: str) -> dict[str, Any]:
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=_LAYOUTS + upload_id)["Body"].read()
        except ClientError as exc:
            if _code(exc) in ("NoSuchKey", "404"):
                raise no_such_upload(upload_id) from None
            raise _api_error(exc) from None
        layout: dict[str, Any] = json.loads(body)
        return layout

    def _save_layout(self, upload_id: str, layout: dict[str, Any]) -> None:
        self.client.put_object(Bucket=self.bucket, Key=_LAYOUTS + upload_id, Body=json.dumps(layout).encode())

    def start_multipart(self, asset_id: str, component: str, size: int, part_size: int) -> dict[str, Any]:
        """CreateMultipartUpload, and remember the declared layout."""
        count = check_layout(size, part_size)
        key = self._key(asset_id, component)
        layout = {"key": key, "size_bytes": size, "part_size": part_size, "part_count": count, "completed": False}
        answer = {"size_bytes": size, "part_size": part_size, "part_count": count}
        try:
            for found_key, upload_id, _ in self._uploads(key):
                if found_key != key:
                    continue
                try:
                    earlier = self._layout(upload_id)
                except ApiError:
                    earlier = {}
                if earlier == layout:  # a start whose answer was lost, sent again: the same upload
                    return {"upload_id": upload_id, **answer}
                self._abort(key, upload_id)
            upload_id = str(self.client.create_multipart_upload(Bucket=self.bucket, Key=key)["UploadId"])
        except ClientError as exc:
            raise _api_error(exc) from None
        self._save_layout(upload_id, layout)
        return {"upload_id": upload_id, **answer}

    def _uploads(self, prefix: str) -> Iterator[tuple[str, str, float]]:
        """(key, upload id, initiated at) of every unfinished multipart upload under ``prefix``."""
        markers: dict[str, str] = {}
        while True:
            page = self.client.list_multipart_uploads(Bucket=self.bucket, Prefix=prefix, **markers)
            for upload in page.get("Uploads", []):
                initiated = upload.get("Initiated")
                stamp = initiated.timestamp() if initiated is not None else time.time()
                yield str(upload["Key"]), str(upload["UploadId"]), stamp
            if not page.get("IsTruncated"):
                return
            markers = {"KeyMarker": page["NextKeyMarker"], "UploadIdMarker": page["NextUploadIdMarker"]}

    def _abort(self, key: str, upload_id: str) -> None:
        """Abort one upload (its parts are freed) and drop its layout record."""
        try:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
        except ClientError as exc:
            if _code(exc) != "NoSuchUpload":
                raise
        with contextlib.suppress(ClientError):
            self.client.delete_object(Bucket=self.bucket, Key=_LAYOUTS + upload_id)

    def abort_uploads(self, asset_id: str, upload_id: str | None = None) -> None:
        """Abort the asset's unfinished multipart uploads (or the one named)."""
        if "/" in asset_id or asset_id in ("", ".", ".."):
            return
        for key, found, _ in list(self._uploads(f"{asset_id}/")):
            if upload_id is None or found == upload_id:
                self._abort(key, found)

    def unfinished_uploads(self) -> list[Unfinished]:
        """Every unfinished multipart upload of ours, idle since it started or its last part landed."""
        now = time.time()
        found = []
        for key, upload_id, initiated in list(self._uploads("")):
            asset_id, _, component = key.partition("/")
            if not component or not _ASSET_ID.fullmatch(asset_id):
                continue  # not one of ours: the bucket may be shared
            last = initiated
            with contextlib.suppress(ClientError):
                page = self.client.list_parts(Bucket=self.bucket, Key=key, UploadId=upload_id, MaxParts=1000)
                for part in page.get("Parts", []):
                    if part.get("LastModified") is not None:
                        last = max(last, part["LastModified"].timestamp())
            found.append(Unfinished(asset_id, component, upload_id, max(now - last, 0.0)))
        return found

    def list_parts(self, asset_id: str, component: str, upload_id: str) -> list[dict[str, Any]]:
        """ListParts, every page."""
        key = self._key(asset_id, component)
        parts: list[dict[str, Any]] = []
        marker = 0
        try:
            while True:
                page = self.client.list_parts(
                    Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumberMarker=marker, MaxParts=1000
                )
                parts.extend(
                    {"part_number": int(p["PartNumber"]), "etag": str(p["ETag"]), "size_bytes": int(p["Size"])}
                    for p in page.get("Parts", [])
                )
                if not page.get("IsTruncated"):
                    return parts
                marker = int(page["NextPartNumberMarker"])
        except ClientError as exc:
            if _code(exc) == "NoSuchUpload":
                raise no_such_upload(upload_id) from None
            raise _api_error(exc) from None

    def complete_multipart(
        self, asset_id: str, component: str, upload_id: str, parts: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """CompleteMultipartUpload (answered again from the layout record once completed)."""
        key = self._key(asset_id, component)
        layout = self._layout(upload_id)
        if layout.get("key") != key:
            raise no_such_upload(upload_id)
        result = {"size_bytes": layout["size_bytes"], "part_size": layout["part_size"], "sha256": None}
        if layout.get("completed"):
            return result
        count = part_count(layout["size_bytes"], layout["part_size"])
        if [p["part_number"] for p in parts] != list(range(1, count + 1)):
            raise invalid_part(f"the part list must name parts 1..{count} once each, in order")
        try:
            self._completing.complete_multipart_upload(
                Bucket=self.bucket,
                Key=key,
                UploadId=upload_id,
                MultipartUpload={"Parts": [{"PartNumber": p["part_number"], "ETag": p["etag"]} for p in parts]},
            )
        except ClientError as exc:
            code = _code(exc)
            if code in ("InvalidPart", "InvalidPartOrder", "EntityTooSmall"):
                raise invalid_part(f"storage refused the part list: {code}") from None
            if code == "NoSuchUpload":
                raise no_such_upload(upload_id) from None
            raise _api_error(exc) from None
        head = self.client.head_object(Bucket=self.bucket, Key=key)
        if int(head["ContentLength"]) != layout["size_bytes"]:
            raise invalid_part(f"storage assembled {head['ContentLength']} bytes, not {layout['size_bytes']}")
        self._save_layout(upload_id, {**layout, "completed": True})
        return result

    def stat(self, asset_id: str, component: str, part_size: int | None = None) -> tuple[int, str, str | None] | None:
        """Size, checksum and content type of the stored object, read back from the bucket."""
        key = self._key(asset_id, component)
        if self.faults.delay:  # a slow bucket (tests: a read-back that takes a while)
            time.sleep(self.faults.delay)
        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _code(exc) in ("NoSuchKey", "404"):
                return None
            raise _api_error(exc) from None
        body = obj["Body"]
        try:
            content_type = obj.get("ContentType") or None
            return int(obj["ContentLength"]), read_checksum(_Body(body), part_size), content_type
        finally:
            body.close()

    def delete(self, asset_id: str) -> None:
        """Delete every object under the asset's prefix, and abort its unfinished multipart uploads."""
        if "/" in asset_id or asset_id in ("", ".", ".."):
            return
        self.abort_uploads(asset_id)
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=f"{asset_id}/"):
            keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            if keys:
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys, "Quiet": True})

    def stop(self) -> None:
        """Close boto3's connections."""
        self.client.close()


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _api_error(exc: ClientError) -> ApiError:
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 502) or 502)
    return ApiError(502 if status >= 500 else status, _code(exc) or "storage_error", f"storage: {_code(exc)}")

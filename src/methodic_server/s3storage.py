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
"""

from __future__ import annotations

import json
import time
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from methodic_contract import part_count
from methodic_server.errors import ApiError, bad_request
from methodic_server.multipart import check_layout, invalid_part, no_such_upload
from methodic_server.storage import StorageFaults, read_checksum
from methodic_server.store.assets import SAFE_COMPONENT

_LAYOUTS = ".methodic-multipart/"


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
        #: Only ``expire_urls`` applies here (URLs are signed for one second); the rest is the local service's.
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
        try:
            upload_id = str(self.client.create_multipart_upload(Bucket=self.bucket, Key=key)["UploadId"])
        except ClientError as exc:
            raise _api_error(exc) from None
        layout = {"key": key, "size_bytes": size, "part_size": part_size, "part_count": count, "completed": False}
        self._save_layout(upload_id, layout)
        return {"upload_id": upload_id, "size_bytes": size, "part_size": part_size, "part_count": count}

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
        """Delete every object under the asset's prefix."""
        if "/" in asset_id or asset_id in ("", ".", ".."):
            return
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

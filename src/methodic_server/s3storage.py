"""Any S3-compatible bucket as the server's storage (S3, MinIO, R2, GCS's XML API), presigned with boto3.

``methodic dev-server --storage s3 --s3-bucket B [--s3-endpoint-url URL]`` uses this instead of the
local storage service; credentials come from boto3's standard chain (``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, profiles, ...). Objects live under ``<asset_id>/<component>``. A bucket
serves the ``gcs`` upload route only (one presigned PUT per file; the storage gateway, which takes large
files in parts, runs in front of our own storage service), so the server starts no multipart uploads here
and has none to abort.

What storage holds is verified the only way S3 allows for a sha256 the client computed: finalize
streams the object back and hashes it (part-wise for a component an earlier server assembled from parts).
That costs
one server-side read per component, and S3's own ETag (an md5) proves nothing the client can check
without reading the file twice. The read happens without the store's lock (see
:meth:`methodic_server.store.assets.Assets.finalize`): a big object read back does not stall the API.
"""

from __future__ import annotations

import time
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from methodic_server.errors import ApiError, bad_request
from methodic_server.storage import StorageFaults, read_checksum
from methodic_server.store.assets import SAFE_COMPONENT


class _Body:
    """A botocore streaming body as a ``read(n)`` file for :func:`read_checksum`."""

    def __init__(self, body: Any) -> None:
        self.body = body

    def read(self, n: int) -> bytes:
        data: bytes = self.body.read(n)
        return data


class S3Storage:
    """Object storage in an S3-compatible bucket."""

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, region: str | None = None) -> None:
        self.bucket = bucket
        config = Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"mode": "standard"})
        self.client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region, config=config)
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

    def abort_uploads(self, asset_id: str) -> None:
        """Nothing to abort: the server starts no multipart uploads in a bucket (it serves single presigned PUTs)."""

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

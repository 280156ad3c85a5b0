"""An S3 endpoint for tests: moto's standalone server, started as a real process on loopback.

No S3 server binary is packaged for these machines, so the vault's object-storage tests talk
HTTP to moto, exactly as they would to MinIO, Ceph RGW or AWS S3.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

#: Credentials moto accepts; the same variables configure a real deployment.
TEST_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "eu-west-2",
}


@dataclass(frozen=True)
class S3Endpoint:
    url: str

    @property
    def environment(self) -> dict[str, str]:
        """What a `dontpay` process needs in its environment to use this endpoint."""
        return {**TEST_CREDENTIALS, "AWS_ENDPOINT_URL": self.url}

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            aws_access_key_id=TEST_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=TEST_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name=TEST_CREDENTIALS["AWS_DEFAULT_REGION"],
        )

    def new_bucket(self) -> str:
        """A fresh, empty bucket, so that no test sees another's blobs."""
        name = f"vault-{uuid.uuid4().hex[:20]}"
        self.client().create_bucket(
            Bucket=name,
            CreateBucketConfiguration={
                "LocationConstraint": TEST_CREDENTIALS["AWS_DEFAULT_REGION"]
            },
        )
        return name


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def moto_server() -> Iterator[S3Endpoint]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **TEST_CREDENTIALS},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto's S3 server did not start") from None
                time.sleep(0.1)
        yield S3Endpoint(url)
    finally:
        process.terminate()
        process.wait(timeout=10)

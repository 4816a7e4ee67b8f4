"""
Uploads in object storage, against an S3-compatible server the test starts
(moto's server mode): an upload through the admin, its rendition, and the page
that shows it.
"""

import importlib.util
import subprocess
import sys

import pytest

from reviews.models import Film
from tests.factories import image_file, make_review
from tests.reviews.test_admin import admin_url, film_form
from tests.services import answers, free_port, missing, wait_for

pytestmark = pytest.mark.django_db

BUCKET = "filmblog-media"


@pytest.fixture(scope="module")
def s3_server():
    if importlib.util.find_spec("moto") is None:
        missing("moto[server]")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: answers(port), "moto server start")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def s3_storage(s3_server, settings, monkeypatch):
    import boto3

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "location": "media",
                "file_overwrite": False,
                "querystring_auth": False,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_an_uploaded_poster_lives_in_the_bucket_and_its_page_shows_a_rendition(
    s3_storage, s3_server, admin_client, client
):
    upload = image_file("crash.png", size=(600, 900))
    response = admin_client.post(admin_url("reviews", "film", "add"), film_form(poster=upload))
    assert response.status_code == 302
    film = Film.objects.get(title="Crash")
    keys = [item["Key"] for item in s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert f"media/{film.poster.name}" in keys
    make_review(film=film, headline="Crash, again")
    page = client.get(film.get_absolute_url()).content.decode()
    keys = [item["Key"] for item in s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"]]
    renditions = [key for key in keys if key.startswith("media/renditions/")]
    assert renditions, keys
    jpeg = next(key for key in renditions if key.endswith(".jpg"))
    address = f"{s3_server}/{BUCKET}/{jpeg}"
    assert address in page
    stored = s3_storage.get_object(Bucket=BUCKET, Key=jpeg)
    assert stored["ContentType"] == "image/jpeg"
    assert stored["Body"].read(3) == b"\xff\xd8\xff"
    webp = next(key for key in renditions if key.endswith(".webp"))
    assert s3_storage.get_object(Bucket=BUCKET, Key=webp)["ContentType"] == "image/webp"
    for avif in (key for key in renditions if key.endswith(".avif")):
        assert s3_storage.get_object(Bucket=BUCKET, Key=avif)["ContentType"] == "image/avif"

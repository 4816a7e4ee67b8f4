"""
Real services for the tests: the shared Redis, and a Redis server or a
PostgreSQL cluster of a test's own, which it may stop and start again; an SMTP
server; and one pass of the task worker.

CI sets ``REQUIRE_SERVICES=1``: a service that is missing then fails the tests
that need it instead of skipping them.
"""

import asyncio
import contextlib
import fcntl
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from glob import glob
from pathlib import Path

import pytest

SHARED_REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
ROOT = Path(__file__).resolve().parent.parent


def collected_static(tmp_path_factory, env):
    """
    A STATIC_ROOT holding collectstatic's output for the test servers that run
    the site as production does. Hashing and compressing the static files
    takes half a minute, so it is done once per test run, shared by every
    server and every xdist worker (a file lock makes the others wait for it).
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    root = base / "collected-static"
    with open(base / "collected-static.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "staticfiles.json").exists():
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
                cwd=ROOT,
                env={**env, "STATIC_ROOT": str(root)},
                check=True,
                capture_output=True,
            )
    return str(root)


def missing(what):
    """Skip, or fail when CI requires every service."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{what} is required (REQUIRE_SERVICES=1) but missing")
    pytest.skip(f"{what} is missing")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_for(condition, what, seconds=20):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {seconds} s")
        time.sleep(0.05)


def redis_cache_settings(url):
    """A CACHES setting for Redis at ``url``, under a key prefix of its own."""
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.5},
        }
    }


def shared_redis_url():
    """The shared Redis test database's URL (skips, or fails in CI, when none answers)."""
    host_port = SHARED_REDIS.split("//", 1)[1].split("/", 1)[0]
    host, _, port = host_port.partition(":")
    if not answers(int(port or 6379), host):
        missing(f"Redis at {SHARED_REDIS}")
    return SHARED_REDIS


class RedisServer:
    """A redis-server of the test's own, on a free port, keeping nothing on disk."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            missing("redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: answers(self.port), "redis-server start")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None
        wait_for(lambda: not answers(self.port), "redis-server stop")


def postgres_bin():
    """Debian's PostgreSQL server binaries (initdb, pg_ctl), or None."""
    for folder in sorted(glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(folder, "initdb").exists() and Path(folder, "pg_ctl").exists():
            return Path(folder)
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and shutil.which("initdb") else None


class PostgresCluster:
    """A PostgreSQL cluster of the test's own, in a temporary folder, on a free port."""

    def __init__(self):
        self.bin = postgres_bin()
        if self.bin is None:
            missing("PostgreSQL's initdb and pg_ctl")
        self.folder = Path(tempfile.mkdtemp(prefix="filmblog-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/filmblog"
        self.run_as = [] if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--"]
        if self.run_as:
            shutil.chown(self.folder, "postgres")

    def _run(self, *args):
        subprocess.run(
            [*self.run_as, *args], check=True, capture_output=True, cwd=self.folder, timeout=60
        )

    def create(self):
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
        )
        self.start()
        self._run(
            str(self.bin / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "filmblog",
        )

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "log"),
            "-w",
            "start",
        )

    def stop(self):
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class SMTPServer:
    """
    A real SMTP server (aiosmtpd) on a free port, in a thread. It refuses the
    recipients in ``refused`` (550), and answers DATA with 451 (try again
    later) while a recipient has deferrals left in ``deferred``. With
    ``delay`` it takes that many seconds to accept a message, as a distant
    relay does.
    """

    def __init__(self):
        try:
            from aiosmtpd.controller import Controller
        except ImportError:
            missing("aiosmtpd")
        self.messages = []
        self.refused = set()
        self.deferred = {}
        self.delay = 0
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        for address in envelope.rcpt_tos:
            if self.deferred.get(address, 0) > 0:
                self.deferred[address] -= 1
                return "451 4.3.0 Try again later"
        self.messages.append(envelope)
        return "250 Message accepted"

    def recipients(self):
        return [address for message in self.messages for address in message.rcpt_tos]

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()


def run_worker():
    """What `manage.py db_worker` does on one pass: run every task that is due."""
    from django.core.management import call_command

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


VCL = Path(__file__).resolve().parents[1] / "deploy" / "varnish" / "filmblog.vcl"
BACKENDS_VCL = """vcl 4.1;
backend app {{
    .host = "127.0.0.1";
    .port = "{port}";
    .connect_timeout = 1s;
    .first_byte_timeout = 60s;
    .probe = {{
        .url = "/healthz/";
        .interval = 0.5s;
        .timeout = 2s;
        .window = 2;
        .threshold = 1;
        .initial = 1;
    }}
}}
acl purgers {{ "127.0.0.1"; }}
"""


def varnishd_binary():
    found = shutil.which("varnishd") or (
        "/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None
    )
    xkey = glob("/usr/lib/*/varnish/vmods/libvmod_xkey.so") + glob(
        "/usr/lib/varnish/vmods/libvmod_xkey.so"
    )
    return found if found and xkey else None


class VarnishServer:
    """
    Debian's varnishd with the shipped VCL (deploy/varnish/filmblog.vcl), on a
    free port with a working folder of its own (-n), in front of the app on
    ``backend_port``; its backends.vcl is written for that port.
    """

    def __init__(self, backend_port):
        self.binary = varnishd_binary()
        if self.binary is None:
            missing("varnishd with varnish-modules' xkey (scripts/install-varnish.sh)")
        self.folder = Path(tempfile.mkdtemp(prefix="filmblog-varnish-"))
        self.folder.chmod(0o755)
        (self.folder / "backends.vcl").write_text(BACKENDS_VCL.format(port=backend_port))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "-F", "-n", str(self.folder / "work"), "-a", f"127.0.0.1:{self.port}"]
            + ["-f", str(VCL), "-p", f"vcl_path={self.folder}:{VCL.parent}"]
            + ["-s", "malloc,64m", "-T", "none"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Compiling the VCL takes a few seconds on a busy machine.
        wait_for(lambda: answers(self.port), "varnishd start", seconds=120)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(30)
            self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)

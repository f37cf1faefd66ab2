"""A real Mosquitto broker for tests: the shipped hall configuration on a free port, with its
own persistence folder, that a test can stop, kill and restart."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

from commandcenter.resources import resource_path

_TEST_ONLY = ("listener", "password_file", "acl_file", "allow_anonymous",
              "persistence_location", "log_dest", "autosave_interval")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 10.0, *, open_: bool = True) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                if open_:
                    return
        except OSError:
            if not open_:
                return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} did not {'open' if open_ else 'close'} in {timeout} s")


class Mosquitto:
    def __init__(self, workdir: Path, port: int | None = None) -> None:
        self.binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        self.port = port or free_port()
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.conf = workdir / "mosquitto.conf"
        shipped = resource_path("mosquitto.conf").read_text(encoding="utf-8").splitlines()
        kept = [line for line in shipped if not line.strip().startswith(_TEST_ONLY)]
        # As root, Mosquitto drops to the `mosquitto` user, who cannot write a test's private
        # temp folder: persistence would fail (only "Permission denied" in its log).
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            kept.append("user root")
        kept += [f"listener {self.port} 127.0.0.1", "allow_anonymous true",
                 f"persistence_location {workdir}/", "autosave_interval 1",
                 f"log_dest file {workdir}/mosquitto.log"]
        self.conf.write_text("\n".join(kept) + "\n", encoding="utf-8")
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        stderr = self.workdir / "stderr.log"
        with open(stderr, "ab") as err:
            self.proc = subprocess.Popen([self.binary, "-c", str(self.conf)],
                                         stdout=subprocess.DEVNULL, stderr=err)
        try:
            wait_for_port(self.port)
        except TimeoutError:
            self.proc.kill()
            self.proc.wait(5)
            raise RuntimeError("mosquitto did not start: "
                               + stderr.read_text(errors="replace")) from None

    def stop(self) -> None:
        """A clean stop: Mosquitto saves its persistence file on SIGTERM."""
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None
            wait_for_port(self.port, open_=False)

    def restart(self) -> None:
        self.stop()
        self.start()


def configured(workdir: Path, extra: str) -> Mosquitto:
    """A broker whose `allow_anonymous true` line is replaced by `extra` (not started)."""
    broker = Mosquitto(workdir)
    conf = broker.conf.read_text(encoding="utf-8")
    broker.conf.write_text(conf.replace("allow_anonymous true\n", extra), encoding="utf-8")
    return broker


def with_passwords(workdir: Path) -> Mosquitto:
    """A broker that refuses anonymous clients; user cc, password s3cret (not started)."""
    workdir.mkdir(parents=True, exist_ok=True)
    passwd = workdir / "passwd"
    subprocess.run(["mosquitto_passwd", "-b", "-c", str(passwd), "cc", "s3cret"], check=True,
                   capture_output=True)
    return configured(workdir / "broker", f"allow_anonymous false\npassword_file {passwd}\n")


def with_tls(workdir: Path) -> tuple[Mosquitto, Path]:
    """A TLS-only broker, its certificate signed by a CA made for it (not started), and the
    CA's file. Needs the openssl command."""
    certs = workdir / "certs"
    certs.mkdir(parents=True)

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=certs, check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
            "ca.pem", "-days", "2", "-subj", "/CN=cc-test-ca")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out",
            "server.csr", "-subj", "/CN=127.0.0.1")
    (certs / "ext").write_text("subjectAltName=IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext")
    broker = configured(workdir / "broker", f"allow_anonymous true\ncertfile {certs}/server.pem\n"
                                           f"keyfile {certs}/server.key\n")
    return broker, certs / "ca.pem"

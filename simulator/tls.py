"""Self-signed certificate for the HTTPS side (2.1 Protocol: devices serve HTTPS)."""

import datetime
import functools
import hashlib
import os
import ssl
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

DEFAULT_COMMON_NAME = "Reolink"
VALIDITY = datetime.timedelta(days=3650)
# How long a process waits for another one saving the shared certificate.
CERT_WAIT_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class ServerCertificate:
    """PEM material plus the SHA-256 fingerprint of the DER certificate."""

    cert_pem: bytes
    key_pem: bytes
    fingerprint: str

    def __repr__(self) -> str:
        return f"ServerCertificate(fingerprint={self.fingerprint})"


_store: dict[str, str] = {}


def keep_certificate_in(directory: str) -> None:
    """Reuse the certificate saved in `directory` (made and saved there on first use).

    A device keeps its certificate across restarts; clients that pinned it (as the
    integration does) would otherwise see a new one each time the simulator starts.
    Call before the first HTTPS device starts.
    """
    _store["directory"] = directory


def forget_certificates() -> None:
    """Make the next HTTPS start present a new certificate, as a reset or replaced device does."""
    _make_certificate.cache_clear()


def server_certificate(common_name: str = DEFAULT_COMMON_NAME) -> ServerCertificate:
    """An EC P-256 certificate, made once per process and name (P-256 keys take ~1 ms)."""
    # Positional call so that the default and an explicit name share one cache entry.
    return _make_certificate(common_name)


@functools.cache
def _make_certificate(common_name: str) -> ServerCertificate:
    directory = _store.get("directory")
    if directory is None:
        return _new_certificate(common_name)
    cert_path = os.path.join(directory, "simulator-cert.pem")
    key_path = os.path.join(directory, "simulator-key.pem")
    if not os.path.exists(cert_path):
        _save_new_certificate(common_name, key_path, cert_path)
    with open(cert_path, "rb") as cert_file, open(key_path, "rb") as key_file:
        cert_pem, key_pem = cert_file.read(), key_file.read()
    der = x509.load_pem_x509_certificate(cert_pem).public_bytes(serialization.Encoding.DER)
    return ServerCertificate(cert_pem, key_pem, hashlib.sha256(der).hexdigest())


def _save_new_certificate(common_name: str, key_path: str, cert_path: str) -> None:
    """Make and save a pair, unless another process sharing the directory is doing so.

    The demo starts two devices at once on a fresh directory. Creating the key file is
    exclusive, so one process saves the pair; the others wait for its certificate, which
    appears complete (renamed into place) right after the key.
    """
    made = _new_certificate(common_name)
    os.makedirs(os.path.dirname(key_path), exist_ok=True)
    try:
        _write_private(key_path, made.key_pem)
    except FileExistsError:
        _wait_for_file(cert_path)
        return
    partial = f"{cert_path}.{os.getpid()}.tmp"
    _write_private(partial, made.cert_pem)
    os.replace(partial, cert_path)


def _wait_for_file(path: str, seconds: float = CERT_WAIT_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            message = f"no certificate appeared at {path}; delete the key beside it to start over"
            raise RuntimeError(message)
        time.sleep(0.05)


def _new_certificate(common_name: str) -> ServerCertificate:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    der = cert.public_bytes(serialization.Encoding.DER)
    return ServerCertificate(
        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        fingerprint=hashlib.sha256(der).hexdigest(),
    )


def server_ssl_context(
    refuses: Callable[[], bool], common_name: str = DEFAULT_COMMON_NAME
) -> ssl.SSLContext:
    """A device's server context (the process's certificate), failing handshakes on demand.

    While `refuses()` holds each handshake is aborted before the certificate is sent
    (asyncio resets the connection), so clients see a failed connection, not a
    changed certificate.
    """
    context = _new_ssl_context(common_name)

    def _check(_socket: ssl.SSLObject, _name: str | None, _context: ssl.SSLContext) -> int | None:
        return ssl.ALERT_DESCRIPTION_HANDSHAKE_FAILURE if refuses() else None

    context.sni_callback = _check
    return context


def _new_ssl_context(common_name: str) -> ssl.SSLContext:
    certificate = server_certificate(common_name)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    # ssl can only load a key chain from files: write them to a private directory briefly.
    with tempfile.TemporaryDirectory(prefix="reolink-sim-") as directory:
        cert_path = os.path.join(directory, "cert.pem")
        key_path = os.path.join(directory, "key.pem")
        _write_private(cert_path, certificate.cert_pem)
        _write_private(key_path, certificate.key_pem)
        context.load_cert_chain(cert_path, key_path)
    return context


def _write_private(path: str, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)

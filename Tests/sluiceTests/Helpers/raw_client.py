#!/usr/bin/env python3
"""What curl will not do, done to a gateway on purpose, for the trust-boundary tests.

  raw_client.py probe HOST PORT COUNT
      COUNT TCP connections, each closed at once without a byte (a port scan).
  raw_client.py garbage HOST PORT COUNT
      COUNT connections that send bytes that are not TLS, then close.
  raw_client.py hold HOST PORT COUNT SECONDS
      COUNT idle TCP connections held open; prints how many the server had closed
      after SECONDS (it answers a read with end-of-file).
  raw_client.py send HOST PORT CA CERT KEY REQUEST_FILE [--trickle SECONDS] [--from BYTE]
      A TLS connection as CERT; sends the request file's bytes (whole, or from BYTE on
      one byte every SECONDS), then prints the HTTP status line the server answered, or
      CLOSED.
  raw_client.py old-version HOST PORT CA CERT KEY 1.0|1.1
      A handshake offering only TLS 1.0 or 1.1: prints CONNECTED or REFUSED.
  raw_client.py make-certificate expired|not-yet-valid CA_CERT CA_KEY OUT_CERT OUT_KEY
      A client certificate from the CA outside its validity (needs `cryptography`,
      which jwcrypto brings).

A test helper, not part of Sluice: the standard library, and `cryptography` only to
make certificates.
"""
import socket
import ssl
import sys
import time


def probe(host, port, count):
    for _ in range(count):
        with socket.create_connection((host, port)):
            pass


def garbage(host, port, count):
    for _ in range(count):
        with socket.create_connection((host, port)) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            try:
                s.recv(100)
            except OSError:
                pass


def hold(host, port, count, seconds):
    sockets = []
    for _ in range(count):
        try:
            sockets.append(socket.create_connection((host, port), timeout=5))
        except OSError:
            pass
    time.sleep(seconds)
    closed = 0
    for s in sockets:
        s.settimeout(0.5)
        try:
            if s.recv(1) == b"":
                closed += 1
        except socket.timeout:
            pass
        except OSError:
            closed += 1
        s.close()
    print(f"{closed} of {len(sockets)} closed")


def send(host, port, ca, cert, key, request_file, trickle, start):
    context = ssl.create_default_context(cafile=ca)
    context.load_cert_chain(cert, key)
    context.check_hostname = False
    raw = socket.create_connection((host, port), timeout=30)
    connection = context.wrap_socket(raw)
    data = open(request_file, "rb").read()
    try:
        if trickle is None:
            connection.sendall(data)
        else:
            connection.sendall(data[:start])
            for index in range(start, len(data)):
                connection.sendall(data[index:index + 1])
                time.sleep(trickle)
        answer = connection.recv(4096)
    except OSError:
        answer = b""
    line = answer.split(b"\r\n", 1)[0].decode("latin-1")
    print(line if line else "CLOSED")


def old_version(host, port, ca, cert, key, version):
    """A handshake that offers only TLS 1.0 or 1.1 (OpenSSL's security level lowered so
    that this client really sends such a hello): CONNECTED or REFUSED."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.load_verify_locations(ca)
    context.load_cert_chain(cert, key)
    context.set_ciphers("ALL:@SECLEVEL=0")
    wanted = {"1.0": ssl.TLSVersion.TLSv1, "1.1": ssl.TLSVersion.TLSv1_1}[version]
    context.minimum_version = wanted
    context.maximum_version = wanted
    raw = socket.create_connection((host, port), timeout=10)
    try:
        connection = context.wrap_socket(raw)
        print("CONNECTED " + str(connection.version()))
    except (ssl.SSLError, OSError) as error:
        print("REFUSED " + type(error).__name__)


def make_certificate(kind, ca_cert, ca_key, out_cert, out_key):
    """A client certificate from the development CA that the gateway must refuse:
    `expired` (valid until yesterday) or `not-yet-valid` (from tomorrow)."""
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    authority = x509.load_pem_x509_certificate(open(ca_cert, "rb").read())
    authority_key = serialization.load_pem_private_key(open(ca_key, "rb").read(), password=None)
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    day = datetime.timedelta(days=1)
    start, end = (now - 30 * day, now - day) if kind == "expired" else (now + day, now + 30 * day)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "district-psb")]))
        .issuer_name(authority.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(authority_key, hashes.SHA256())
    )
    open(out_cert, "wb").write(certificate.public_bytes(serialization.Encoding.PEM))
    open(out_key, "wb").write(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


def main(argv):
    if argv[1] == "make-certificate":
        make_certificate(*argv[2:7])
        return
    mode, host, port = argv[1], argv[2], int(argv[3])
    if mode == "probe":
        probe(host, port, int(argv[4]))
    elif mode == "garbage":
        garbage(host, port, int(argv[4]))
    elif mode == "hold":
        hold(host, port, int(argv[4]), float(argv[5]))
    elif mode == "old-version":
        old_version(host, port, argv[4], argv[5], argv[6], argv[7])
    elif mode == "send":
        trickle = float(argv[argv.index("--trickle") + 1]) if "--trickle" in argv else None
        start = int(argv[argv.index("--from") + 1]) if "--from" in argv else 0
        send(host, port, argv[4], argv[5], argv[6], argv[7], trickle, start)
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv)

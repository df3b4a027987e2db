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

Only the standard library: a test helper, not part of Sluice.
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


def main(argv):
    mode, host, port = argv[1], argv[2], int(argv[3])
    if mode == "probe":
        probe(host, port, int(argv[4]))
    elif mode == "garbage":
        garbage(host, port, int(argv[4]))
    elif mode == "hold":
        hold(host, port, int(argv[4]), float(argv[5]))
    elif mode == "send":
        trickle = float(argv[argv.index("--trickle") + 1]) if "--trickle" in argv else None
        start = int(argv[argv.index("--from") + 1]) if "--from" in argv else 0
        send(host, port, argv[4], argv[5], argv[6], argv[7], trickle, start)
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv)

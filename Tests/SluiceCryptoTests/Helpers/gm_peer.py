#!/usr/bin/env python3
"""The GM profile's envelopes made and opened by code nobody at Sluice wrote: GmSSL
(through gmssl-pyx) for SM2 encryption, SM4-CBC, HMAC-SM3 and SM2 signatures, and gmalg
(pure Python) checking every SM2 signature a second time.

  gm_peer.py open ENVELOPE CONSUMER_PRIVATE_HEX SIGNER_PUBLIC_HEX
      Opens a compact JWE (alg SM2, enc SM4-CBC-HMAC-SM3), checks the inner JWS
      (alg SM2-SM3); prints the payload's SM3 in hex and "ok".
  gm_peer.py seal PAYLOAD SIGNER_PRIVATE_HEX SIGNER_PUBLIC_HEX RECIPIENT_PUBLIC_HEX [--zip]
      Seals PAYLOAD the same way; prints the compact JWE.

  gm_peer.py verify-note NOTE_FILE SIGNER_PUBLIC_HEX
      Checks the SM2 co-signature line of a checkpoint (a C2SP signed note): the line
      whose key ID is SHA-256(name 0A ff "sluice.sm2-sm3" 04 x y)[:4], its r||s over the
      note text; prints "ok" and the number of signature lines.

  gm_peer.py pseudonym SECRET_HEX AGREEMENT VALUE
      The gm pseudonym of VALUE: HKDF (RFC 5869) with HMAC-SM3 from the secret, salt
      "sluice pseudonym v1" and info AGREEMENT, one block; then HMAC-SM3 of the value, its
      first 15 bytes in lower-case base32.

Public keys are 04 || x || y in hex; private keys the 32-byte scalar in hex.
A test helper, not part of Sluice.
"""
import base64
import hashlib
import json
import os
import sys
import zlib

import gmalg
import gmssl_pyx

SIGNER_ID = b"1234567812345678"


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def der_to_raw(der):
    # SEQUENCE { INTEGER r, INTEGER s }, each to 32 bytes.
    assert der[0] == 0x30
    index = 2 if der[1] < 0x80 else 3
    values = []
    for _ in range(2):
        assert der[index] == 0x02
        length = der[index + 1]
        values.append(int.from_bytes(der[index + 2:index + 2 + length], "big"))
        index += 2 + length
    return b"".join(v.to_bytes(32, "big") for v in values)


def raw_to_der(raw):
    def integer(value):
        body = value.to_bytes(32, "big").lstrip(b"\x00") or b"\x00"
        if body[0] & 0x80:
            body = b"\x00" + body
        return b"\x02" + bytes([len(body)]) + body
    content = integer(int.from_bytes(raw[:32], "big")) + integer(int.from_bytes(raw[32:], "big"))
    return b"\x30" + bytes([len(content)]) + content


def tag(mac_key, aad, iv, ciphertext):
    al = (len(aad) * 8).to_bytes(8, "big")
    return gmssl_pyx.sm3_hmac(mac_key, aad + iv + ciphertext + al)[:16]


def open_envelope(path, consumer_private_hex, signer_public_hex):
    compact = open(path).read().strip()
    encoded_header, encrypted_key, iv, ciphertext, received_tag = compact.split(".")
    header = json.loads(unb64(encoded_header))
    assert header["alg"] == "SM2" and header["enc"] == "SM4-CBC-HMAC-SM3", header
    content_key = gmssl_pyx.sm2_decrypt(bytes.fromhex(consumer_private_hex), unb64(encrypted_key))
    assert len(content_key) == 32
    iv, ciphertext = unb64(iv), unb64(ciphertext)
    if tag(content_key[:16], encoded_header.encode(), iv, ciphertext) != unb64(received_tag):
        raise SystemExit("tag mismatch")
    content = gmssl_pyx.sm4_cbc_padding_decrypt(content_key[16:], iv, ciphertext)
    if header.get("zip") == "DEF":
        content = zlib.decompress(content, -15)
    jws_header, payload, signature = content.decode().split(".")
    assert json.loads(unb64(jws_header))["alg"] == "SM2-SM3"
    signing_input = (jws_header + "." + payload).encode()
    raw = unb64(signature)
    public = bytes.fromhex(signer_public_hex)
    if not gmssl_pyx.sm2_verify(public[1:], signing_input, raw_to_der(raw), signer_id=SIGNER_ID):
        raise SystemExit("GmSSL: bad signature")
    if not gmalg.SM2(pk=public, uid=SIGNER_ID).verify(signing_input, raw[:32], raw[32:]):
        raise SystemExit("gmalg: bad signature")
    print(gmssl_pyx.sm3_hash(unb64(payload)).hex())
    print("ok")


def seal(path, signer_private_hex, signer_public_hex, recipient_public_hex, compress):
    payload = open(path, "rb").read()
    jws_header = b64(json.dumps({"alg": "SM2-SM3", "kid": "peer", "typ": "sluice-package+jws"}, separators=(",", ":")).encode())
    signing_input = (jws_header + "." + b64(payload)).encode()
    der = gmssl_pyx.sm2_sign(bytes.fromhex(signer_private_hex), bytes.fromhex(signer_public_hex)[1:], signing_input, signer_id=SIGNER_ID)
    jws = signing_input + b"." + b64(der_to_raw(der)).encode()
    header = {"alg": "SM2", "cty": "JOSE", "enc": "SM4-CBC-HMAC-SM3", "kid": "peer"}
    if compress:
        header["zip"] = "DEF"
        deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
        jws = deflater.compress(jws) + deflater.flush()
    encoded_header = b64(json.dumps(header, separators=(",", ":")).encode())
    content_key = os.urandom(32)
    iv = os.urandom(16)
    encrypted_key = gmssl_pyx.sm2_encrypt(bytes.fromhex(recipient_public_hex)[1:], content_key)
    ciphertext = gmssl_pyx.sm4_cbc_padding_encrypt(content_key[16:], iv, jws)
    parts = [encoded_header, b64(encrypted_key), b64(iv), b64(ciphertext), b64(tag(content_key[:16], encoded_header.encode(), iv, ciphertext))]
    print(".".join(parts))


def verify_note(path, signer_public_hex):
    note = open(path, encoding="utf-8").read()
    text, signatures = note.rsplit("\n\n", 1)
    text += "\n"
    public = bytes.fromhex(signer_public_hex)
    lines = signatures.rstrip("\n").split("\n")
    verified = 0
    for line in lines:
        assert line.startswith("\u2014 "), line
        name, blob = line[2:].split(" ")
        blob = base64.b64decode(blob)
        key_id = hashlib.sha256(name.encode() + b"\n" + b"\xffsluice.sm2-sm3" + public).digest()[:4]
        if blob[:4] != key_id:
            continue
        raw = blob[4:]
        if len(raw) != 64:
            raise SystemExit("the SM2 signature is not 64 bytes")
        if not gmssl_pyx.sm2_verify(public[1:], text.encode(), raw_to_der(raw), signer_id=SIGNER_ID):
            raise SystemExit("GmSSL: bad co-signature")
        if not gmalg.SM2(pk=public, uid=SIGNER_ID).verify(text.encode(), raw[:32], raw[32:]):
            raise SystemExit("gmalg: bad co-signature")
        verified += 1
    if verified != 1:
        raise SystemExit(f"{verified} SM2 co-signature lines by this key, expected 1")
    print(len(lines))
    print("ok")


def pseudonym(secret_hex, agreement, value):
    prk = gmssl_pyx.sm3_hmac(b"sluice pseudonym v1", bytes.fromhex(secret_hex))
    key = gmssl_pyx.sm3_hmac(prk, agreement.encode() + b"\x01")
    code = gmssl_pyx.sm3_hmac(key, value.encode())[:15]
    print(base64.b32encode(code).decode().lower().rstrip("="))


if __name__ == "__main__":
    if sys.argv[1] == "pseudonym":
        pseudonym(*sys.argv[2:5])
    elif sys.argv[1] == "open":
        open_envelope(*sys.argv[2:5])
    elif sys.argv[1] == "verify-note":
        verify_note(*sys.argv[2:4])
    elif sys.argv[1] == "seal":
        seal(*sys.argv[2:6], "--zip" in sys.argv)
    else:
        raise SystemExit("usage: gm_peer.py open|seal|verify-note|pseudonym …")

#!/usr/bin/env python3
"""Interoperability of Sluice envelopes with independent JOSE implementations (jwcrypto, joserfc).

Both ways, for an EC (P-256, ECDH-ES+A256KW) and an RSA (RSA-OAEP-256) recipient:
  * jwcrypto and joserfc (with its default settings, which refuse protected headers over 512
    bytes) open what `sluice seal` makes: decrypt the JWE with the consumer's key and verify
    the inner JWS with the gateway's certificate key, which the JWS names by `x5t#S256`;
  * `sluice open` opens what jwcrypto makes: a JWS signed with the gateway key (naming its
    certificate by `x5t#S256`, or carrying it in `x5c`) inside a JWE to the consumer, and refuses the same made with an
    agency's key and certificate (same CA, but not the gateway's signing profile).
Tampering is checked too: one changed character and `sluice open` exits 1.

Usage: jose_interop_check.py SLUICE_BINARY
"""
import base64
import datetime
import hashlib
import json
import os
import subprocess
import sys
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from joserfc import jwe as rfc_jwe, jws as rfc_jws, jwk as rfc_jwk
from jwcrypto import jwe, jwk, jws

RECORDS = [
    {"case_no": "A1", "name": "欧阳娜娜", "id_number": "11010519491231002X", "phone": "13812345678"},
    {"case_no": "A2", "name": "张三", "id_number": "440524188001010014"},
]

LARGE_RECORDS = 600


def sluice(binary, *args, check=True):
    process = subprocess.run([binary, *args], capture_output=True, text=True)
    if check and process.returncode != 0:
        raise SystemExit(f"sluice {args[0]} failed ({process.returncode}): {process.stderr[-1500:]}")
    return process


def rsa_recipient(folder, ca_cert_path, ca_key_path):
    """An RSA-2048 consumer key and a certificate for it, issued by the development CA."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_path = os.path.join(folder, "rsa.key.pem")
    with open(os.open(key_path, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    ca_cert = x509.load_pem_x509_certificate(open(ca_cert_path, "rb").read())
    ca_key = serialization.load_pem_private_key(open(ca_key_path, "rb").read(), password=None)
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "rsa-consumer")]))
            .issuer_name(ca_cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    cert_path = os.path.join(folder, "rsa.pem")
    open(cert_path, "wb").write(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def main():
    binary = os.path.abspath(sys.argv[1])
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    failures = []
    checks = 0
    with tempfile.TemporaryDirectory() as folder:
        data, certs = os.path.join(folder, "data"), os.path.join(folder, "Certs")
        os.chdir(repo)
        sluice(binary, "init", "--data-dir", data, "--certs", certs)
        source = os.path.join(folder, "in.ndjson")
        with open(source, "w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in RECORDS)
        # Large enough that Sluice deflates it (zip: DEF) inside the JWE, small enough that it
        # stays within joserfc's default limits (a JWS payload of 128,000 bytes).
        large = os.path.join(folder, "large.ndjson")
        with open(large, "w", encoding="utf-8") as handle:
            for number in range(LARGE_RECORDS):
                handle.write(json.dumps(dict(RECORDS[number % 2], case_no=f"A{number}"), ensure_ascii=False) + "\n")
        gateway_cert_path = os.path.join(certs, "gateway-signing.pem")
        gateway_key_path = os.path.join(data, "keys", "gateway-signing.key.pem")
        gateway_cert = x509.load_pem_x509_certificate(open(gateway_cert_path, "rb").read())
        gateway_public = jwk.JWK.from_pem(gateway_cert.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
        gateway_private = jwk.JWK.from_pem(open(gateway_key_path, "rb").read())
        gateway_public_pem = gateway_cert.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

        ec_key = os.path.join(data, "keys", "agencies", "district-procuratorate.key.pem")
        ec_cert = os.path.join(certs, "agencies", "district-procuratorate.pem")
        rsa_key, rsa_cert = rsa_recipient(folder, os.path.join(certs, "dev-ca.pem"), os.path.join(data, "keys", "dev-ca.key.pem"))

        cases = [("EC", ec_key, ec_cert, "ECDH-ES+A256KW", source, None),
                 ("RSA", rsa_key, rsa_cert, "RSA-OAEP-256", source, None),
                 ("EC-deflated", ec_key, ec_cert, "ECDH-ES+A256KW", large, "DEF")]
        for label, key_path, cert_path, expected_alg, records_file, zip_method in cases:
            recipient_private = jwk.JWK.from_pem(open(key_path, "rb").read())

            # 1. Sluice seals, jwcrypto opens.
            sealed_path = os.path.join(folder, f"{label}.jwe")
            sluice(binary, "seal", "--agreement", "psb-household-check", "--input", records_file, "--recipient-cert", cert_path,
                   "--signing-key", gateway_key_path, "--signing-cert", gateway_cert_path, "--output", sealed_path,
                   "--data-dir", data, "--trust", os.path.join(certs, "dev-ca.pem"))
            token = jwe.JWE()
            token.deserialize(open(sealed_path).read().strip(), key=recipient_private)
            header = json.loads(token.objects["protected"])
            checks += 1
            if header.get("alg") != expected_alg or header.get("enc") != "A256GCM" or header.get("zip") != zip_method:
                failures.append(f"{label}: unexpected JWE header {header.get('alg')}/{header.get('enc')}/{header.get('zip')}")
            signed = jws.JWS()
            signed.deserialize(token.payload.decode())
            signed.verify(gateway_public)
            payload = json.loads(signed.payload)
            checks += 1
            expected_count = 2 if records_file == source else LARGE_RECORDS
            if payload.get("agreement", {}).get("id") != "psb-household-check" or len(payload.get("records", [])) != expected_count:
                failures.append(f"{label}: the payload jwcrypto opened is not the sealed package")
            if any(r["id_number"] in signed.payload.decode() for r in RECORDS):
                failures.append(f"{label}: an ID number reached the payload unmasked")

            # 1b. joserfc, default settings, opens it too; the inner header names the
            #     gateway's certificate by its DER's SHA-256 and carries no certificate.
            key_type = "RSA" if label == "RSA" else "EC"
            # joserfc allows only RFC 7518's "recommended" key management by default, and
            # RSA-OAEP-256 is "optional" there: that one case names its algorithms.
            allowed = ["RSA-OAEP-256", "A256GCM"] if label == "RSA" else None
            opened_rfc = rfc_jwe.decrypt_compact(
                open(sealed_path).read().strip(), rfc_jwk.import_key(open(key_path, "rb").read(), key_type), algorithms=allowed)
            inner_rfc = rfc_jws.deserialize_compact(opened_rfc.plaintext.decode(), rfc_jwk.import_key(gateway_public_pem, "EC"))
            thumbprint = base64.urlsafe_b64encode(hashlib.sha256(gateway_cert.public_bytes(serialization.Encoding.DER)).digest()).rstrip(b"=").decode()
            checks += 1
            if inner_rfc.protected.get("x5t#S256") != thumbprint or "x5c" in inner_rfc.protected:
                failures.append(f"{label}: the inner JWS does not name the gateway certificate by x5t#S256 alone: {sorted(inner_rfc.protected)}")
            if json.loads(inner_rfc.payload).get("package_id") != payload.get("package_id"):
                failures.append(f"{label}: joserfc opened another payload than jwcrypto")

            # 2. jwcrypto seals, Sluice opens.
            package = {"agreement": {"id": "psb-household-check", "version": None}, "consumer": "district-procuratorate",
                       "created_at": "2026-11-29T00:00:00Z", "fields": ["case_no", "name"], "masking": {},
                       "package_id": f"jwcrypto-{label}", "provider": "district-psb",
                       "records": [{"case_no": "X1", "name": "李*"}]}
            inner = jws.JWS(json.dumps(package, ensure_ascii=False).encode())
            # The EC case names the certificate by thumbprint, as Sluice does; the others carry it.
            naming = ({"x5t#S256": base64.urlsafe_b64encode(hashlib.sha256(gateway_cert.public_bytes(serialization.Encoding.DER)).digest())
                       .rstrip(b"=").decode()} if label == "EC"
                      else {"x5c": [base64.b64encode(gateway_cert.public_bytes(serialization.Encoding.DER)).decode()]})
            inner.add_signature(gateway_private, protected=json.dumps({"alg": "ES256", "kid": gateway_public.thumbprint(), **naming}))
            protected = {"alg": expected_alg, "enc": "A256GCM", "cty": "JOSE"}
            if zip_method:
                protected["zip"] = zip_method
            outer = jwe.JWE(inner.serialize(compact=True).encode(), protected=json.dumps(protected))
            recipient_public = x509.load_pem_x509_certificate(open(cert_path, "rb").read()).public_key()
            outer.add_recipient(jwk.JWK.from_pem(recipient_public.public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)))
            made = os.path.join(folder, f"{label}-jwcrypto.jwe")
            open(made, "w").write(outer.serialize(compact=True))
            opened = sluice(binary, "open", made, "--key", key_path, "--trust", os.path.join(certs, "dev-ca.pem"),
                            "--expect-signer", gateway_cert_path, check=False)
            checks += 1
            if opened.returncode != 0 or json.loads(opened.stdout.splitlines()[0]) != {"case_no": "X1", "name": "李*"}:
                failures.append(f"{label}: sluice open refused jwcrypto's envelope (exit {opened.returncode}): {opened.stderr[-500:]}")

            # 3. The same envelope signed by an agency (the provider), whose certificate
            #    chains to the same development CA: refused with exit 1, the signer named.
            agency_cert_path = os.path.join(certs, "agencies", "district-psb.pem")
            agency_cert = x509.load_pem_x509_certificate(open(agency_cert_path, "rb").read())
            agency_private = jwk.JWK.from_pem(open(os.path.join(data, "keys", "agencies", "district-psb.key.pem"), "rb").read())
            forged_inner = jws.JWS(json.dumps(package, ensure_ascii=False).encode())
            forged_inner.add_signature(agency_private, protected=json.dumps({
                "alg": "ES256", "kid": agency_private.thumbprint(),
                "x5c": [base64.b64encode(agency_cert.public_bytes(serialization.Encoding.DER)).decode()]}))
            forged_outer = jwe.JWE(forged_inner.serialize(compact=True).encode(), protected=json.dumps(protected))
            forged_outer.add_recipient(jwk.JWK.from_pem(recipient_public.public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)))
            forged = os.path.join(folder, f"{label}-forged.jwe")
            open(forged, "w").write(forged_outer.serialize(compact=True))
            refused = sluice(binary, "open", forged, "--key", key_path, "--trust", os.path.join(certs, "dev-ca.pem"), check=False)
            checks += 1
            if refused.returncode != 1 or "district-psb" not in refused.stderr:
                failures.append(f"{label}: an envelope signed by an agency gave exit {refused.returncode}: {refused.stderr[-300:]}")

            # 4. One changed character: refused with exit 1.
            text = open(made).read()
            middle = len(text) // 2
            tampered = text[:middle] + ("A" if text[middle] != "A" else "B") + text[middle + 1:]
            open(made, "w").write(tampered)
            refused = sluice(binary, "open", made, "--key", key_path, "--trust", os.path.join(certs, "dev-ca.pem"), check=False)
            checks += 1
            if refused.returncode != 1:
                failures.append(f"{label}: a tampered envelope gave exit {refused.returncode}, not 1")

    if failures:
        for failure in failures:
            print("FAIL:", failure)
        print(f"{checks - len(failures)} passed, {len(failures)} failed")
        sys.exit(1)
    print(f"jose interop with jwcrypto and joserfc: {checks} checks, EC and RSA recipients, zip DEF, both directions")


if __name__ == "__main__":
    main()

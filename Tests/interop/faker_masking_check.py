#!/usr/bin/env python3
"""Independent check of `sluice mask` with Python's Faker (zh_CN locale).

Faker computes resident ID check characters (GB 11643) and card Luhn digits with its
own code, so this catches a check-digit bug on our side that our own generator would
share. It verifies that:
  * every Faker ID number, phone and card is accepted as valid (no validation failures);
  * no original ID number, phone number or card number appears in the masked output;
  * the same ID number always gets the same 24-character pseudonym;
  * an ID number with a corrupted check character is refused (exit 2).
Values are never printed; failures name record numbers and fields only.

Usage: faker_masking_check.py SLUICE_BINARY
"""
import json
import os
import re
import subprocess
import sys
import tempfile

from faker import Faker

AGREEMENT = """\
id: interop-check
title: interop
provider: a
consumer: b
purpose: interop test
legal_basis: none
valid_from: 2025-01-01
valid_until: 2030-12-31
status: active
on_unlisted_field: reject
limits: { max_records: 100000, max_package_bytes: 100 MiB, rate_per_minute: 60 }
retention_days: 1
fields:
  - { name: name, type: string, mask: surname }
  - { name: id_number, type: cn_id, required: true, mask: hash }
  - { name: phone, type: cn_mobile, mask: { partial: { keep_first: 3, keep_last: 4 } } }
  - { name: card, type: bank_card, mask: { partial: { keep_first: 0, keep_last: 4 } } }
  - { name: address, type: string, mask: { truncate: city } }
  - { name: notes, type: text, scan: true }
"""

CHECKS = "10X98765432"


def run(binary, folder, records):
    source = os.path.join(folder, "in.ndjson")
    output = os.path.join(folder, "out.ndjson")
    with open(source, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    agreement = os.path.join(folder, "interop-check.yaml")
    process = subprocess.run(
        [binary, "mask", "--agreement", agreement, "--agencies", os.path.join(folder, "agencies.yaml"),
         "--input", source, "--output", output, "--json", "--data-dir", os.path.join(folder, "data")],
        capture_output=True, text=True)
    return process, output


def main():
    binary = sys.argv[1]
    fake = Faker("zh_CN")
    Faker.seed(20261129)
    failures = []
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "interop-check.yaml"), "w", encoding="utf-8") as handle:
            handle.write(AGREEMENT)
        with open(os.path.join(folder, "agencies.yaml"), "w", encoding="utf-8") as handle:
            handle.write("agencies:\n"
                         "  - { id: a, name: A, roles: [partner], certificate: a.pem }\n"
                         "  - { id: b, name: B, roles: [partner], certificate: b.pem }\n")
        records = []
        for _ in range(2000):
            id_number = fake.ssn()
            phone = fake.phone_number()
            card = fake.credit_card_number()
            records.append({
                "name": fake.name(),
                "id_number": id_number,
                "phone": phone,
                "card": card,
                "address": fake.province() + fake.city() + fake.district() + "区" + fake.street_address(),
                "notes": f"嫌疑人身份证号{fake.ssn()}，联系电话{fake.phone_number()}，曾用卡号{fake.credit_card_number()}。",
            })
        # The same ID number twice must give the same pseudonym.
        records.append(dict(records[0], notes="重复记录"))
        process, output = run(binary, folder, records)
        if process.returncode != 0:
            summary = process.stderr[-2000:]
            # The summary names records and fields only, never values.
            failures.append(f"sluice mask exited {process.returncode}: {summary}")
        else:
            with open(output, encoding="utf-8") as handle:
                masked = [json.loads(line) for line in handle]
            text = open(output, encoding="utf-8").read()
            digits_only = re.sub(r"\D", "", text)
            if len(masked) != len(records):
                failures.append(f"{len(masked)} records out of {len(records)}")
            for number, (original, result) in enumerate(zip(records, masked), start=1):
                if not re.fullmatch(r"[a-z2-7]{24}", result["id_number"]):
                    failures.append(f"record {number}: id_number is not a pseudonym")
                for field in ("id_number", "phone", "card"):
                    if original[field] in text:
                        failures.append(f"record {number}: the original {field} appears in the output")
                for value in re.findall(r"\d{11,19}X?", original["notes"]):
                    if value in text:
                        failures.append(f"record {number}: a number from notes appears in the output")
                if len(original["card"]) >= 13 and original["card"] in digits_only:
                    failures.append(f"record {number}: card digits survive")
            if masked[0]["id_number"] != masked[-1]["id_number"]:
                failures.append("the same ID number got two pseudonyms")

        # A corrupted check character must be refused.
        good = fake.ssn()
        bad = good[:-1] + CHECKS[(CHECKS.index(good[-1]) + 1) % 11]
        process, _ = run(binary, folder, [{"id_number": bad}])
        if process.returncode != 2 or "record 1, field id_number" not in process.stderr:
            failures.append(f"a corrupted ID number was not refused (exit {process.returncode})")
        if bad in process.stderr or bad in process.stdout:
            failures.append("the refused ID number was printed")

    if failures:
        for failure in failures[:20]:
            print("FAIL:", failure)
        print(f"0 passed, {len(failures)} failed")
        sys.exit(1)
    print("faker interop: 2001 records masked, no original value in the output, corrupted check character refused")


if __name__ == "__main__":
    main()

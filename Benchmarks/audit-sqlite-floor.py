#!/usr/bin/env python3
"""What SQLite itself costs for the audit table, without any Sluice code: rows shaped like
audit entries inserted 1,000 per transaction (WAL, synchronous=FULL) through Python's
sqlite3 module, with the schema's triggers and query indexes added step by step; then
other layouts (no WAL copy-back, no query columns, one row per 1,000 entries).

    python3 Benchmarks/audit-sqlite-floor.py [FOLDER]   (default: a temporary folder)
"""
import hashlib, os, sqlite3, sys, tempfile, time

ENTRY = ('{"action":"submit.accepted","actor":{"certificate_sha256":"' + "5e" * 32 + '","id":"district-psb",'
         '"kind":"agency"},"agreement":{"id":"psb-household-check","version":3},"details":{"fields_dropped":'
         '["remarks"],"records":100},"outcome":"success","package_id":"019ad0a0-0000-7000-8000-000000000000",'
         '"reason":null,"remote_address":"10.20.30.40","request_id":"req-1","sequence":0,"time":"2026-11-29T03:00:00.000Z"}')
TABLE = """CREATE TABLE audit_entries (sequence INTEGER PRIMARY KEY, entry TEXT NOT NULL, leaf_hash BLOB NOT NULL,
    time TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, agreement TEXT, package TEXT, outcome TEXT NOT NULL);"""
TRIGGER = """CREATE TRIGGER audit_entries_next_only BEFORE INSERT ON audit_entries
    WHEN NEW.sequence IS NOT COALESCE((SELECT MAX(sequence) FROM audit_entries) + 1, 0)
    BEGIN SELECT RAISE(ROLLBACK, 'not the next entry'); END;"""
INDEXES = [
    "CREATE INDEX audit_entries_time ON audit_entries(time);",
    "CREATE INDEX audit_entries_actor ON audit_entries(actor, sequence);",
    "CREATE INDEX audit_entries_action ON audit_entries(action, sequence);",
    "CREATE INDEX audit_entries_agreement ON audit_entries(agreement, sequence);",
    "CREATE INDEX audit_entries_package ON audit_entries(package, sequence);",
]
LEAF = hashlib.sha256(b"leaf").digest()


NARROW = "CREATE TABLE audit_entries (sequence INTEGER PRIMARY KEY, entry TEXT NOT NULL, leaf_hash BLOB NOT NULL);"
BUNDLES = """CREATE TABLE audit_bundles (first_sequence INTEGER PRIMARY KEY, entry_count INTEGER NOT NULL, time TEXT NOT NULL,
    entries TEXT NOT NULL, leaf_hashes BLOB NOT NULL); CREATE INDEX audit_bundles_time ON audit_bundles(time);"""


def open_database(folder, schema, autocheckpoint=1000):
    path = os.path.join(folder, "floor.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA cache_size=-32768")
    db.execute(f"PRAGMA wal_autocheckpoint={autocheckpoint}")
    db.executescript(schema)
    return db


def run_layout(folder, label, schema, rows_of_batch, batches=150, autocheckpoint=1000):
    """Any layout: `rows_of_batch(done)` gives (sql, rows) for the next 1,000 entries."""
    db = open_database(folder, schema, autocheckpoint)
    done, elapsed = 0, 0.0
    for _ in range(batches):
        sql, rows = rows_of_batch(done)
        start = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.executemany(sql, rows)
        db.execute("COMMIT")
        elapsed += time.perf_counter() - start
        done += 1000
    db.close()
    print(f"{label:38s} {done / elapsed:9.0f} entries/s")


def entry_rows(done):
    """The next 1,000 rows of the schema's table, with the time moving once a batch."""
    batch = done // 1000
    return ("INSERT OR ROLLBACK INTO audit_entries VALUES (?,?,?,?,?,?,?,?,?)",
            [(done + i, ENTRY, LEAF, "2026-11-29T03:%02d:00.000Z" % (batch % 60), "district-psb", "submit.accepted",
              "psb-household-check", "019ad0a0-%08x-7000-8000-000000000000" % (done + i), "success") for i in range(1000)])


def run(folder, label, schema):
    run_layout(folder, label, schema, entry_rows)


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="sluice-floor-")
    print(f"sqlite {sqlite3.sqlite_version}, 150,000 rows, 1,000 per transaction, in {folder}")
    run(folder, "table only", TABLE)
    run(folder, "table + next-only trigger", TABLE + TRIGGER)
    for count in range(1, len(INDEXES) + 1):
        run(folder, f"table + trigger + {count} index(es)", TABLE + TRIGGER + "\n".join(INDEXES[:count]))
    # Other layouts, for what a change of schema could gain (see BENCHMARKS.md).
    run_layout(folder, "as the schema, WAL never copied back", TABLE + TRIGGER + "\n".join(INDEXES), entry_rows, autocheckpoint=0)
    run_layout(folder, "entry and leaf only, no index", NARROW,
               lambda done: ("INSERT INTO audit_entries VALUES (?,?,?)", [(done + i, ENTRY, LEAF) for i in range(1000)]))
    bundle = "\n".join([ENTRY] * 1000)
    run_layout(folder, "one row per 1,000 entries (bundle)", BUNDLES,
               lambda done: ("INSERT INTO audit_bundles VALUES (?,?,?,?,?)", [(done, 1000, "2026-11-29T03:00:00.000Z", bundle, LEAF * 1000)]))


if __name__ == "__main__":
    main()

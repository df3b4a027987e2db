import GRDB
import SluiceAudit

/// The versioned schema of the gateway's database. Each migration is applied once, in
/// order, in its own transaction; a released migration is never edited, only followed.
enum StoreSchema {
    /// Tables whose names start with this are append-only: the guarded connections may
    /// not update, delete, drop or alter them, nor add or drop triggers or indexes on them.
    static let appendOnlyPrefix = "audit_"

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-audit-trail") { db in
            // The entry column holds the canonical JSON exactly as hashed. The query
            // columns repeat parts of it for indexed look-ups (generated columns would
            // parse the JSON on every insert, several times); `verify` checks that they
            // still agree with the entry, so a changed column cannot hide an entry.
            try db.execute(
                sql: """
                    CREATE TABLE audit_entries (
                        sequence INTEGER PRIMARY KEY,
                        entry TEXT NOT NULL,
                        leaf_hash BLOB NOT NULL,
                        time TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        agreement TEXT,
                        package TEXT,
                        outcome TEXT NOT NULL
                    );
                    CREATE INDEX audit_entries_time ON audit_entries(time);
                    CREATE INDEX audit_entries_actor ON audit_entries(actor, sequence);
                    CREATE INDEX audit_entries_action ON audit_entries(action, sequence);
                    CREATE INDEX audit_entries_agreement ON audit_entries(agreement, sequence);
                    CREATE INDEX audit_entries_package ON audit_entries(package, sequence);

                    -- Hashes of the complete subtrees of two or more leaves (level ≥ 1), keyed
                    -- by the last leaf they cover, so they stream in the order they were made.
                    CREATE TABLE audit_subtrees (
                        last_leaf INTEGER NOT NULL,
                        level INTEGER NOT NULL CHECK (level >= 1),
                        hash BLOB NOT NULL,
                        PRIMARY KEY (last_leaf, level)
                    ) WITHOUT ROWID;

                    CREATE TABLE audit_checkpoints (
                        tree_size INTEGER PRIMARY KEY,
                        note TEXT NOT NULL,
                        signed_at TEXT NOT NULL
                    );
                    """)
            for table in ["audit_entries", "audit_subtrees", "audit_checkpoints"] {
                try db.execute(
                    sql: """
                        CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
                        BEGIN SELECT RAISE(ROLLBACK, '\(table) is append-only: rows cannot be changed'); END;
                        CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
                        BEGIN SELECT RAISE(ROLLBACK, '\(table) is append-only: rows cannot be deleted'); END;
                        """)
            }
            // RAISE(ROLLBACK) rather than ABORT: any refused change ends its whole
            // transaction, and SQLite need not keep a statement journal (a copy of every
            // page touched) for each insert in case the insert alone had to be undone.
            // Closes INSERT OR REPLACE and gaps: every insert must be the very next one.
            // (A bare `SELECT MAX(sequence)` is answered from the end of the primary key;
            // wrapped in an expression inside the SELECT it would scan the table.)
            try db.execute(
                sql: """
                    CREATE TRIGGER audit_entries_next_only BEFORE INSERT ON audit_entries
                    WHEN NEW.sequence IS NOT COALESCE((SELECT MAX(sequence) FROM audit_entries) + 1, 0)
                    BEGIN SELECT RAISE(ROLLBACK, 'audit_entries: the sequence must be the next one'); END;
                    CREATE TRIGGER audit_subtrees_new_only BEFORE INSERT ON audit_subtrees
                    WHEN EXISTS (SELECT 1 FROM audit_subtrees WHERE last_leaf = NEW.last_leaf AND level = NEW.level)
                        OR NEW.last_leaf IS NOT (SELECT MAX(sequence) FROM audit_entries)
                    BEGIN SELECT RAISE(ROLLBACK, 'audit_subtrees: only the newest entry''s subtrees can be added'); END;
                    CREATE TRIGGER audit_checkpoints_grow_only BEFORE INSERT ON audit_checkpoints
                    WHEN NEW.tree_size <= COALESCE((SELECT MAX(tree_size) FROM audit_checkpoints), 0)
                        OR NEW.tree_size > COALESCE((SELECT MAX(sequence) FROM audit_entries) + 1, 0)
                    BEGIN SELECT RAISE(ROLLBACK, 'audit_checkpoints: a checkpoint must cover more entries than the last one and no more than exist'); END;
                    """)
        }
        migrator.registerMigration("2-packages") { db in
            // seq orders a consumer's inbox and serves as its cursor; id is the package id
            // partners see. The envelope is stored sealed: as its compact text in rows
            // written before 2026-11-30, since then in parts, a BLOB (see StoredEnvelope;
            // a TEXT column keeps a BLOB as it is given).
            try db.execute(
                sql: """
                    CREATE TABLE packages (
                        seq INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        agreement_id TEXT NOT NULL,
                        agreement_version INTEGER,
                        provider TEXT NOT NULL,
                        consumer TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        expires_at TEXT NOT NULL,
                        records INTEGER NOT NULL,
                        envelope_bytes INTEGER NOT NULL,
                        body_sha256 TEXT NOT NULL,
                        idempotency_key TEXT,
                        receipt TEXT NOT NULL,
                        acknowledged_at TEXT,
                        envelope TEXT NOT NULL,
                        UNIQUE (provider, idempotency_key)
                    );
                    CREATE INDEX packages_inbox ON packages(consumer, seq);
                    CREATE INDEX packages_expiry ON packages(expires_at);
                    """)
        }
        migrator.registerMigration("3-revoked-certificates") { db in
            // Revocation is terminal: rows are only ever added.
            try db.execute(
                sql: """
                    CREATE TABLE revoked_certificates (
                        fingerprint TEXT PRIMARY KEY,
                        agency_id TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        revoked_at TEXT NOT NULL,
                        revoked_by TEXT NOT NULL
                    );
                    CREATE TRIGGER revoked_certificates_no_update BEFORE UPDATE ON revoked_certificates
                    BEGIN SELECT RAISE(ROLLBACK, 'revoked_certificates is append-only: a revocation cannot be undone'); END;
                    CREATE TRIGGER revoked_certificates_no_delete BEFORE DELETE ON revoked_certificates
                    BEGIN SELECT RAISE(ROLLBACK, 'revoked_certificates is append-only: a revocation cannot be undone'); END;
                    """)
        }
        migrator.registerMigration("4-registry") { db in
            // The registry of agencies and agreements. Every table only grows: an agency's
            // certificates are added and revoked, never edited; an agreement gets new
            // immutable versions and state changes, and what it was at any moment can be
            // read back. The audit trail records who made each row.
            try db.execute(
                sql: """
                    CREATE TABLE agencies (
                        id TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        roles TEXT NOT NULL,
                        added_at TEXT NOT NULL,
                        added_by TEXT NOT NULL
                    );
                    CREATE TABLE agency_certificates (
                        fingerprint TEXT PRIMARY KEY,
                        agency_id TEXT NOT NULL REFERENCES agencies(id),
                        certificate BLOB NOT NULL,
                        added_at TEXT NOT NULL,
                        added_by TEXT NOT NULL
                    );
                    CREATE INDEX agency_certificates_agency ON agency_certificates(agency_id);
                    CREATE TABLE agreement_versions (
                        agreement_id TEXT NOT NULL,
                        version INTEGER NOT NULL CHECK (version >= 1),
                        document TEXT NOT NULL,
                        document_sha256 TEXT NOT NULL,
                        applied_at TEXT NOT NULL,
                        applied_by TEXT NOT NULL,
                        PRIMARY KEY (agreement_id, version)
                    );
                    CREATE TABLE agreement_states (
                        seq INTEGER PRIMARY KEY,
                        agreement_id TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('draft', 'active', 'suspended', 'revoked')),
                        reason TEXT,
                        changed_at TEXT NOT NULL,
                        changed_by TEXT NOT NULL
                    );
                    CREATE INDEX agreement_states_agreement ON agreement_states(agreement_id, seq);
                    CREATE TRIGGER agreement_versions_next_only BEFORE INSERT ON agreement_versions
                    WHEN NEW.version IS NOT COALESCE((SELECT MAX(version) FROM agreement_versions WHERE agreement_id = NEW.agreement_id) + 1, 1)
                    BEGIN SELECT RAISE(ROLLBACK, 'agreement_versions: the version must be the next one'); END;
                    CREATE TRIGGER agreement_states_not_after_revoked BEFORE INSERT ON agreement_states
                    WHEN (SELECT status FROM agreement_states WHERE agreement_id = NEW.agreement_id ORDER BY seq DESC LIMIT 1) = 'revoked'
                    BEGIN SELECT RAISE(ROLLBACK, 'agreement_states: a revoked agreement stays revoked'); END;
                    """)
            for table in ["agencies", "agency_certificates", "agreement_versions", "agreement_states"] {
                try db.execute(sql: onlyGrows(table))
            }
        }
        migrator.registerMigration("5-registry-authors") { db in
            // Who applied a version or changed a state is a person's certificate, not only
            // a name: null for the host admin at the console and for a first start.
            try db.execute(
                sql: """
                    ALTER TABLE agreement_versions ADD COLUMN applied_by_certificate TEXT;
                    ALTER TABLE agreement_states ADD COLUMN changed_by_certificate TEXT;
                    """)
        }
        migrator.registerMigration("6-audit-bundles") { db in
            // Entries are stored in bundles, one row per append call, as tile-based
            // transparency logs store them: a transaction's entries are one row however
            // many there are, which is what lets batched appends pass SQLite's per-row cost
            // (one row and five index entries per entry held them near 33,000/s). The leaf
            // hashes come before the entries in the row, so proofs read them without
            // walking the entries' overflow pages. Queries narrow by sequence and by the
            // bundle's time range, then read the entries; `verify` checks the range.
            try db.execute(
                sql: """
                    CREATE TABLE audit_bundles (
                        first INTEGER PRIMARY KEY CHECK (first >= 0),
                        count INTEGER NOT NULL CHECK (count >= 1),
                        min_time TEXT NOT NULL,
                        max_time TEXT NOT NULL,
                        leaf_hashes BLOB NOT NULL CHECK (length(leaf_hashes) = 32 * count),
                        entries TEXT NOT NULL
                    );
                    CREATE INDEX audit_bundles_max_time ON audit_bundles(max_time);
                    """)
            // Dropping the old table drops its triggers and indexes; the two triggers on
            // other tables that read it are replaced. (IF EXISTS: a file whose triggers
            // someone dropped still upgrades, and `verify` still finds what was done.)
            try AuditBundleMigration.copyEntries(db)
            try db.execute(
                sql: """
                    DROP TRIGGER IF EXISTS audit_subtrees_new_only;
                    DROP TRIGGER IF EXISTS audit_checkpoints_grow_only;
                    DROP TABLE audit_entries;
                    CREATE TRIGGER audit_bundles_no_update BEFORE UPDATE ON audit_bundles
                    BEGIN SELECT RAISE(ROLLBACK, 'audit_bundles is append-only: rows cannot be changed'); END;
                    CREATE TRIGGER audit_bundles_no_delete BEFORE DELETE ON audit_bundles
                    BEGIN SELECT RAISE(ROLLBACK, 'audit_bundles is append-only: rows cannot be deleted'); END;
                    CREATE TRIGGER audit_bundles_next_only BEFORE INSERT ON audit_bundles
                    WHEN NEW.first IS NOT COALESCE((SELECT first + count FROM audit_bundles ORDER BY first DESC LIMIT 1), 0)
                    BEGIN SELECT RAISE(ROLLBACK, 'audit_bundles: the bundle must start at the next sequence'); END;
                    CREATE TRIGGER audit_subtrees_new_only BEFORE INSERT ON audit_subtrees
                    WHEN EXISTS (SELECT 1 FROM audit_subtrees WHERE last_leaf = NEW.last_leaf AND level = NEW.level)
                        OR NOT EXISTS (SELECT 1 FROM (SELECT first, count FROM audit_bundles ORDER BY first DESC LIMIT 1)
                            WHERE NEW.last_leaf >= first AND NEW.last_leaf < first + count)
                    BEGIN SELECT RAISE(ROLLBACK, 'audit_subtrees: only the newest bundle''s subtrees can be added'); END;
                    CREATE TRIGGER audit_checkpoints_grow_only BEFORE INSERT ON audit_checkpoints
                    WHEN NEW.tree_size <= COALESCE((SELECT MAX(tree_size) FROM audit_checkpoints), 0)
                        OR NEW.tree_size > COALESCE((SELECT first + count FROM audit_bundles ORDER BY first DESC LIMIT 1), 0)
                    BEGIN SELECT RAISE(ROLLBACK, 'audit_checkpoints: a checkpoint must cover more entries than the last one and no more than exist'); END;
                    """)
        }
        migrator.registerMigration("7-package-scope") { db in
            // An Idempotency-Key is scoped to the provider, the agreement and the key: the
            // column holds `agreement/key` (agreement ids never hold "/"), so the unique
            // (provider, idempotency_key) is unique per agreement. Each package names the
            // certificate it was sealed to, which the consumer's inbox shows.
            try db.execute(
                sql: """
                    UPDATE packages SET idempotency_key = agreement_id || '/' || idempotency_key WHERE idempotency_key IS NOT NULL;
                    ALTER TABLE packages ADD COLUMN recipient_sha256 TEXT;
                    """)
        }
        migrator.registerMigration("8-certificate-requests") { db in
            // A further certificate for a registered agency that an admin asked for without
            // the agency's proof of possession: it waits here for a second, different admin.
            // Rows only grow; a request is granted when its certificate is registered.
            try db.execute(
                sql: """
                    CREATE TABLE agency_certificate_requests (
                        fingerprint TEXT PRIMARY KEY,
                        agency_id TEXT NOT NULL REFERENCES agencies(id),
                        certificate BLOB NOT NULL,
                        requested_at TEXT NOT NULL,
                        requested_by TEXT NOT NULL,
                        requested_by_kind TEXT NOT NULL
                    );
                    """ + onlyGrows("agency_certificate_requests"))
        }
        migrator.registerMigration("9-data-requests") { db in
            // A consumer's request for data about named subjects, and the package rows that
            // answer one. The subjects are stored only sealed to the provider; what the
            // gateway keeps of them is their count and, for an agreement with
            // `answer_must_match`, the keyed pseudonyms of that field's values (one per line),
            // against which answers are checked. The decline note is sealed to the consumer.
            try db.execute(
                sql: """
                    CREATE TABLE data_requests (
                        seq INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        agreement_id TEXT NOT NULL,
                        agreement_version INTEGER,
                        provider TEXT NOT NULL,
                        consumer TEXT NOT NULL,
                        case_number TEXT,
                        purpose TEXT NOT NULL,
                        officer TEXT NOT NULL,
                        subjects INTEGER NOT NULL,
                        subject_pseudonyms TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        deadline TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('open', 'answered', 'declined')),
                        decline_reason TEXT,
                        closed_at TEXT,
                        receipt TEXT NOT NULL,
                        subjects_envelope TEXT NOT NULL,
                        note_envelope TEXT
                    );
                    CREATE INDEX data_requests_provider ON data_requests(provider, state, deadline);
                    CREATE INDEX data_requests_consumer ON data_requests(consumer, seq);
                    CREATE INDEX data_requests_open ON data_requests(state, deadline);
                    ALTER TABLE packages ADD COLUMN answers_request TEXT;
                    CREATE INDEX packages_answers_request ON packages(answers_request) WHERE answers_request IS NOT NULL;
                    """)
        }
        migrator.registerMigration("10-data-request-keys") { db in
            // A consumer's Idempotency-Key, scoped like a provider's: `agreement/key`, unique
            // per consumer; the body's digest tells a repeat from a reuse.
            try db.execute(
                sql: """
                    ALTER TABLE data_requests ADD COLUMN idempotency_key TEXT;
                    ALTER TABLE data_requests ADD COLUMN body_sha256 TEXT;
                    CREATE UNIQUE INDEX data_requests_key ON data_requests(consumer, idempotency_key) WHERE idempotency_key IS NOT NULL;
                    """)
        }
        migrator.registerMigration("11-package-fetched") { db in
            // When the consumer first fetched each package, for the officers' "not yet
            // fetched". Packages fetched before this column existed get the time of their
            // first successful fetch in the trail, read once here.
            try db.execute(sql: "ALTER TABLE packages ADD COLUMN fetched_at TEXT")
            let mark = try db.makeStatement(sql: "UPDATE packages SET fetched_at = ? WHERE id = ? AND fetched_at IS NULL")
            try SQLiteAuditLog(db).forEachEntry(matching: AuditFilter(action: .packageFetched, outcome: .success)) { entry in
                var json = entry.json
                guard let index = json.withUTF8({ AuditEntryIndex(json: UnsafeRawBufferPointer($0)) }), let package = index.package else { return }
                try mark.execute(arguments: [index.time, package])
            }
        }
        return migrator
    }

    /// Triggers that refuse to change or delete a registry table's rows.
    static func onlyGrows(_ table: String) -> String {
        """
        CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
        BEGIN SELECT RAISE(ROLLBACK, '\(table) only grows: rows cannot be changed'); END;
        CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
        BEGIN SELECT RAISE(ROLLBACK, '\(table) only grows: rows cannot be deleted'); END;
        """
    }
}

/// The schema of a PostgreSQL store, the same tables as the SQLite store's current schema
/// with the same rules, enforced by the database itself: the audit and registry tables
/// refuse UPDATE, DELETE and TRUNCATE (triggers, and those privileges revoked from every
/// role, the owner included), the log's bundles must start at the next sequence, subtree
/// hashes belong to the newest bundle, checkpoints only grow. Text compares as bytes
/// (`COLLATE "C"`), as SQLite's does, so times and ids order the same in both stores.
enum PostgresSchema {
    /// The version this program writes; a database at a higher one was written by a newer Sluice.
    static let version = 1

    /// Held by the gateway that migrates, so that several starting at once migrate once.
    static let migrationLock: Int64 = 0x736C_7569_6365_0001
    /// Held by every write transaction until it ends: one writer at a time, across gateways,
    /// as in the SQLite store (which the shared logic was written for). The audit log's tail
    /// is what needs it; the rest of a submission's writes are brief beside it.
    static let writeLock: Int64 = 0x736C_7569_6365_0002

    static let appendOnlyTables = ["audit_bundles", "audit_subtrees", "audit_checkpoints"]
    static let onlyGrowingTables = [
        "revoked_certificates", "agencies", "agency_certificates", "agreement_versions", "agreement_states", "agency_certificate_requests",
    ]

    /// The statements that create version 1, in order.
    static var creation: [String] {
        var statements = tables.map { $0.replacingOccurrences(of: " TEXT", with: " TEXT COLLATE \"C\"") }
        statements += functions
        for table in appendOnlyTables + onlyGrowingTables {
            statements.append(
                "CREATE TRIGGER \(table)_no_change BEFORE UPDATE OR DELETE ON \(table) FOR EACH ROW EXECUTE FUNCTION sluice_refuse_change()")
            statements.append(
                "CREATE TRIGGER \(table)_no_truncate BEFORE TRUNCATE ON \(table) FOR EACH STATEMENT EXECUTE FUNCTION sluice_refuse_change()")
            statements.append("REVOKE UPDATE, DELETE, TRUNCATE ON \(table) FROM PUBLIC, CURRENT_USER")
        }
        // A foreign key's check locks the agency row it points at (FOR KEY SHARE), which
        // PostgreSQL allows only with UPDATE on some column: one column, and its trigger
        // still refuses every update.
        statements.append("GRANT UPDATE (id) ON agencies TO CURRENT_USER")
        statements += [
            "CREATE TRIGGER audit_bundles_next_only BEFORE INSERT ON audit_bundles FOR EACH ROW EXECUTE FUNCTION sluice_audit_bundles_next_only()",
            "CREATE TRIGGER audit_subtrees_new_only BEFORE INSERT ON audit_subtrees FOR EACH ROW EXECUTE FUNCTION sluice_audit_subtrees_new_only()",
            "CREATE TRIGGER audit_checkpoints_grow_only BEFORE INSERT ON audit_checkpoints FOR EACH ROW EXECUTE FUNCTION sluice_audit_checkpoints_grow_only()",
            "CREATE TRIGGER agreement_versions_next_only BEFORE INSERT ON agreement_versions FOR EACH ROW EXECUTE FUNCTION sluice_agreement_versions_next_only()",
            "CREATE TRIGGER agreement_states_not_after_revoked BEFORE INSERT ON agreement_states FOR EACH ROW EXECUTE FUNCTION sluice_agreement_states_not_after_revoked()",
        ]
        return statements
    }

    private static let tables = [
        """
        CREATE TABLE audit_bundles (
            first BIGINT PRIMARY KEY CHECK (first >= 0),
            count BIGINT NOT NULL CHECK (count >= 1),
            min_time TEXT NOT NULL,
            max_time TEXT NOT NULL,
            leaf_hashes BYTEA NOT NULL CHECK (length(leaf_hashes) = 32 * count),
            entries TEXT NOT NULL
        )
        """,
        "CREATE INDEX audit_bundles_max_time ON audit_bundles(max_time)",
        """
        CREATE TABLE audit_subtrees (
            last_leaf BIGINT NOT NULL,
            level INTEGER NOT NULL CHECK (level >= 1),
            hash BYTEA NOT NULL,
            PRIMARY KEY (last_leaf, level)
        )
        """,
        "CREATE TABLE audit_checkpoints (tree_size BIGINT PRIMARY KEY, note TEXT NOT NULL, signed_at TEXT NOT NULL)",
        """
        CREATE TABLE packages (
            seq BIGSERIAL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            agreement_id TEXT NOT NULL,
            agreement_version BIGINT,
            provider TEXT NOT NULL,
            consumer TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            records BIGINT NOT NULL,
            envelope_bytes BIGINT NOT NULL,
            body_sha256 TEXT NOT NULL,
            idempotency_key TEXT,
            receipt TEXT NOT NULL,
            acknowledged_at TEXT,
            envelope BYTEA NOT NULL,
            envelope_compact BOOLEAN NOT NULL DEFAULT FALSE,
            recipient_sha256 TEXT,
            answers_request TEXT,
            fetched_at TEXT,
            UNIQUE (provider, idempotency_key)
        )
        """,
        "CREATE INDEX packages_inbox ON packages(consumer, seq)",
        "CREATE INDEX packages_expiry ON packages(expires_at)",
        "CREATE INDEX packages_answers_request ON packages(answers_request) WHERE answers_request IS NOT NULL",
        """
        CREATE TABLE revoked_certificates (
            seq BIGSERIAL UNIQUE,
            fingerprint TEXT PRIMARY KEY,
            agency_id TEXT NOT NULL,
            reason TEXT NOT NULL,
            revoked_at TEXT NOT NULL,
            revoked_by TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE agencies (
            seq BIGSERIAL UNIQUE,
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            roles TEXT NOT NULL,
            added_at TEXT NOT NULL,
            added_by TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE agency_certificates (
            seq BIGSERIAL UNIQUE,
            fingerprint TEXT PRIMARY KEY,
            agency_id TEXT NOT NULL REFERENCES agencies(id),
            certificate BYTEA NOT NULL,
            added_at TEXT NOT NULL,
            added_by TEXT NOT NULL
        )
        """,
        "CREATE INDEX agency_certificates_agency ON agency_certificates(agency_id)",
        """
        CREATE TABLE agreement_versions (
            seq BIGSERIAL UNIQUE,
            agreement_id TEXT NOT NULL,
            version BIGINT NOT NULL CHECK (version >= 1),
            document TEXT NOT NULL,
            document_sha256 TEXT NOT NULL,
            applied_at TEXT NOT NULL,
            applied_by TEXT NOT NULL,
            applied_by_certificate TEXT,
            PRIMARY KEY (agreement_id, version)
        )
        """,
        """
        CREATE TABLE agreement_states (
            seq BIGSERIAL PRIMARY KEY,
            agreement_id TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('draft', 'active', 'suspended', 'revoked')),
            reason TEXT,
            changed_at TEXT NOT NULL,
            changed_by TEXT NOT NULL,
            changed_by_certificate TEXT
        )
        """,
        "CREATE INDEX agreement_states_agreement ON agreement_states(agreement_id, seq)",
        """
        CREATE TABLE agency_certificate_requests (
            seq BIGSERIAL UNIQUE,
            fingerprint TEXT PRIMARY KEY,
            agency_id TEXT NOT NULL REFERENCES agencies(id),
            certificate BYTEA NOT NULL,
            requested_at TEXT NOT NULL,
            requested_by TEXT NOT NULL,
            requested_by_kind TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE data_requests (
            seq BIGSERIAL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            agreement_id TEXT NOT NULL,
            agreement_version BIGINT,
            provider TEXT NOT NULL,
            consumer TEXT NOT NULL,
            case_number TEXT,
            purpose TEXT NOT NULL,
            officer TEXT NOT NULL,
            subjects BIGINT NOT NULL,
            subject_pseudonyms TEXT NOT NULL,
            created_at TEXT NOT NULL,
            deadline TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('open', 'answered', 'declined')),
            decline_reason TEXT,
            closed_at TEXT,
            receipt TEXT NOT NULL,
            subjects_envelope TEXT NOT NULL,
            note_envelope TEXT,
            idempotency_key TEXT,
            body_sha256 TEXT
        )
        """,
        "CREATE INDEX data_requests_provider ON data_requests(provider, state, deadline)",
        "CREATE INDEX data_requests_consumer ON data_requests(consumer, seq)",
        "CREATE INDEX data_requests_open ON data_requests(state, deadline)",
        "CREATE UNIQUE INDEX data_requests_key ON data_requests(consumer, idempotency_key) WHERE idempotency_key IS NOT NULL",
        // Submission rates shared by every gateway: one token bucket per agency and
        // agreement, its time the database's clock (so gateways' clocks need not agree).
        // Unlogged: a take waits for no disk flush, and after a server crash the buckets
        // start full again, which costs at most one minute's allowance.
        "CREATE UNLOGGED TABLE rate_buckets (bucket TEXT PRIMARY KEY, tokens DOUBLE PRECISION NOT NULL, updated DOUBLE PRECISION NOT NULL)",
    ]

    // SQLSTATE SLU01 marks a refusal by these rules (the store reports it as refused).
    private static let functions = [
        // Takes a token from `wanted`'s bucket (refilled at `per_minute`, holding as many):
        // 0 when granted, else the seconds until a token will be there. The row lock makes
        // each take whole, whichever gateway asks.
        """
        CREATE FUNCTION sluice_take_token(wanted TEXT, per_minute DOUBLE PRECISION) RETURNS DOUBLE PRECISION LANGUAGE plpgsql AS $$
        DECLARE
            now_seconds DOUBLE PRECISION := extract(epoch FROM clock_timestamp());
            capacity DOUBLE PRECISION := GREATEST(1, per_minute);
            held rate_buckets%ROWTYPE;
            available DOUBLE PRECISION;
        BEGIN
            INSERT INTO rate_buckets(bucket, tokens, updated) VALUES (wanted, capacity, now_seconds) ON CONFLICT DO NOTHING;
            SELECT * INTO held FROM rate_buckets WHERE bucket = wanted FOR UPDATE;
            available := LEAST(capacity, held.tokens + GREATEST(0, now_seconds - held.updated) * capacity / 60);
            IF available < 1 THEN
                UPDATE rate_buckets SET tokens = available, updated = now_seconds WHERE bucket = wanted;
                RETURN (1 - available) * 60 / capacity;
            END IF;
            UPDATE rate_buckets SET tokens = available - 1, updated = now_seconds WHERE bucket = wanted;
            RETURN 0;
        END $$
        """,
        """
        CREATE FUNCTION sluice_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% only grows: rows cannot be changed or removed', TG_TABLE_NAME USING ERRCODE = 'SLU01';
        END $$
        """,
        """
        CREATE FUNCTION sluice_audit_bundles_next_only() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE expected BIGINT;
        BEGIN
            SELECT first + count INTO expected FROM audit_bundles ORDER BY first DESC LIMIT 1;
            IF NEW.first IS DISTINCT FROM COALESCE(expected, 0) THEN
                RAISE EXCEPTION 'audit_bundles: the bundle must start at the next sequence' USING ERRCODE = 'SLU01';
            END IF;
            RETURN NEW;
        END $$
        """,
        """
        CREATE FUNCTION sluice_audit_subtrees_new_only() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE newest audit_bundles%ROWTYPE;
        BEGIN
            SELECT * INTO newest FROM audit_bundles ORDER BY first DESC LIMIT 1;
            IF newest.first IS NULL OR NEW.last_leaf < newest.first OR NEW.last_leaf >= newest.first + newest.count THEN
                RAISE EXCEPTION 'audit_subtrees: only the newest bundle''s subtrees can be added' USING ERRCODE = 'SLU01';
            END IF;
            RETURN NEW;
        END $$
        """,
        """
        CREATE FUNCTION sluice_audit_checkpoints_grow_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.tree_size <= COALESCE((SELECT MAX(tree_size) FROM audit_checkpoints), 0)
                OR NEW.tree_size > COALESCE((SELECT first + count FROM audit_bundles ORDER BY first DESC LIMIT 1), 0) THEN
                RAISE EXCEPTION 'audit_checkpoints: a checkpoint must cover more entries than the last one and no more than exist'
                    USING ERRCODE = 'SLU01';
            END IF;
            RETURN NEW;
        END $$
        """,
        """
        CREATE FUNCTION sluice_agreement_versions_next_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.version IS DISTINCT FROM COALESCE((SELECT MAX(version) FROM agreement_versions WHERE agreement_id = NEW.agreement_id) + 1, 1) THEN
                RAISE EXCEPTION 'agreement_versions: the version must be the next one' USING ERRCODE = 'SLU01';
            END IF;
            RETURN NEW;
        END $$
        """,
        """
        CREATE FUNCTION sluice_agreement_states_not_after_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (SELECT status FROM agreement_states WHERE agreement_id = NEW.agreement_id ORDER BY seq DESC LIMIT 1) = 'revoked' THEN
                RAISE EXCEPTION 'agreement_states: a revoked agreement stays revoked' USING ERRCODE = 'SLU01';
            END IF;
            RETURN NEW;
        END $$
        """,
    ]
}

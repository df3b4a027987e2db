import SluiceCore

/// The agreements the benchmarks mask under: one header (parties, dates, generous limits)
/// around each benchmark's own field list.
enum BenchmarkAgreement {
    static func make(id: String, unlisted: String, maxRecords: Int = 10_000_000, fields: String) throws -> Agreement {
        try AgreementDecoder().decode(
            """
            id: \(id)
            title: benchmark
            provider: a
            consumer: b
            purpose: benchmark
            legal_basis: none
            valid_from: 2025-01-01
            valid_until: 2030-12-31
            status: active
            on_unlisted_field: \(unlisted)
            limits: { max_records: \(maxRecords), max_package_bytes: 10 GiB, rate_per_minute: 1 }
            retention_days: 1
            fields:
            \(fields)
            """, file: "\(id).yaml")
    }
}

import Crypto
import Foundation
import SluiceCore
import Testing

@testable import SluiceAudit

@Suite struct AuditEntryTests {
    let entry = AuditEntry(
        sequence: 41, time: "2026-11-29T01:02:03.004Z",
        actor: AuditActor(kind: .agency, id: "district-psb", certificateFingerprint: "ab12"), action: .submitRejected,
        agreementID: "psb-household-check", agreementVersion: 3, outcome: .rejected,
        reason: "fields not on the agreement's whitelist: salary", requestID: "r-9", remoteAddress: "127.0.0.1",
        details: ["records": .count(120), "rejected_fields": .names(["salary"]), "body_sha256": .digest("ff00")])

    @Test func canonicalJSONIsSortedAndComplete() {
        let text = String(decoding: entry.canonicalJSON, as: UTF8.self)
        #expect(
            text
                == #"{"action":"submit.rejected","actor":{"certificate_sha256":"ab12","id":"district-psb","kind":"agency"},"#
                + #""agreement":{"id":"psb-household-check","version":3},"details":{"body_sha256":"ff00","records":120,"rejected_fields":["salary"]},"#
                + #""outcome":"rejected","package_id":null,"reason":"fields not on the agreement's whitelist: salary","#
                + #""remote_address":"127.0.0.1","request_id":"r-9","sequence":41,"time":"2026-11-29T01:02:03.004Z"}"#)
    }

    @Test func theLeafHashIsRFC9162sOverTheCanonicalBytes() {
        var hash = SHA256()
        hash.update(data: [0x00] + entry.canonicalJSON)
        #expect(entry.leafHash.bytes == Array(hash.finalize()))
        var changed = entry
        changed.details["records"] = .count(121)
        #expect(changed.leafHash != entry.leafHash)
    }

    /// The entry written member by member must be exactly what the generic canonical
    /// writer (every object's keys sorted) makes of the same content, for any content:
    /// strings needing escapes, absent members, details of every kind and key order.
    @Test func theHandOrderedEncodingIsTheGenericCanonicalOne() {
        var generator = SystemRandomNumberGenerator()
        let texts = ["", "district-psb", "quote \" and \\ back", "line\nbreak\ttab\u{1}", "中文 名称", "é", "Z", "a_b"]
        func pick(_ optional: Bool) -> String? {
            optional && Bool.random(using: &generator) ? nil : texts.randomElement(using: &generator)!
        }
        for round in 0..<500 {
            var details: [String: AuditDetail] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                let value: AuditDetail =
                    switch Int.random(in: 0..<4, using: &generator) {
                    case 0: .count(Int.random(in: -5...1_000_000, using: &generator))
                    case 1: .names((0..<Int.random(in: 0...3, using: &generator)).map { _ in pick(false)! })
                    case 2: .digest(pick(false)!)
                    default: .flag(Bool.random(using: &generator))
                    }
                details[pick(false)! + String(round % 7)] = value
            }
            let entry = AuditEntry(
                sequence: UInt64.random(in: 0...UInt64.max, using: &generator), time: pick(false)!,
                actor: AuditActor(
                    kind: [.agency, .localAdmin, .gateway].randomElement(using: &generator)!, id: pick(false)!, certificateFingerprint: pick(true)),
                action: AuditAction.allCases.randomElement(using: &generator)!, agreementID: pick(true),
                agreementVersion: Bool.random(using: &generator) ? Int.random(in: 1...99, using: &generator) : nil, packageID: pick(true),
                outcome: AuditOutcome.allCases.randomElement(using: &generator)!, reason: pick(true), requestID: pick(true),
                remoteAddress: pick(true), details: details)
            #expect(entry.canonicalJSON == Self.genericCanonicalJSON(entry), "round \(round)")
        }
    }

    @Test func numbersAtTheirLimitsAreWrittenAsTheGenericWriterWritesThem() {
        for (sequence, count) in [(UInt64.max, Int.min), (0, 0), (1, Int.max), (10, -1), (1_000_000, 9)] {
            let entry = AuditEntry(
                sequence: sequence, time: "2026-11-29T00:00:00.000Z", actor: AuditActor(kind: .gateway, id: "g"), action: .gatewayStarted,
                agreementID: "a", agreementVersion: count, outcome: .success, details: ["n": .count(count), "m": .count(count / -2)])
            #expect(entry.canonicalJSON == Self.genericCanonicalJSON(entry), "sequence \(sequence), count \(count)")
        }
    }

    static func genericCanonicalJSON(_ entry: AuditEntry) -> [UInt8] {
        func text(_ value: String?) -> RecordValue { value.map { .string($0) } ?? .null }
        func detail(_ value: AuditDetail) -> RecordValue {
            switch value {
            case .count(let number): .number(String(number))
            case .names(let names): .array(names.map { .string($0) })
            case .digest(let hex): .string(hex)
            case .flag(let flag): .bool(flag)
            }
        }
        let actor = RecordObject([
            ("kind", .string(entry.actor.kind.rawValue)), ("id", .string(entry.actor.id)),
            ("certificate_sha256", text(entry.actor.certificateFingerprint)),
        ])
        let agreement: RecordValue =
            entry.agreementID.map {
                .object(RecordObject([("version", entry.agreementVersion.map { .number(String($0)) } ?? .null), ("id", .string($0))]))
            } ?? .null
        let object = RecordObject([
            ("time", .string(entry.time)), ("sequence", .number(String(entry.sequence))), ("request_id", text(entry.requestID)),
            ("remote_address", text(entry.remoteAddress)), ("reason", text(entry.reason)), ("package_id", text(entry.packageID)),
            ("outcome", .string(entry.outcome.rawValue)), ("details", .object(RecordObject(entry.details.map { ($0.key, detail($0.value)) }))),
            ("agreement", agreement), ("actor", .object(actor)), ("action", .string(entry.action.rawValue)),
        ])
        var bytes: [UInt8] = []
        JSONWriter.append(.object(object), to: &bytes, sortingKeys: true)
        return bytes
    }

    @Test func theVocabularyIsClosedAndNamesAreUnique() {
        #expect(Set(AuditAction.allCases.map(\.rawValue)).count == AuditAction.allCases.count)
        #expect(AuditAction.allCases.count == 36)
    }
}

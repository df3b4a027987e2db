import SluiceCore
import Testing

@testable import SluiceMasking

@Suite struct RecordMaskerTests {
    static let reference = CalendarDate(iso8601: "2026-11-29")!

    func agreement(_ fields: String, unlisted: String = "reject", detection: String = "strict") throws -> Agreement {
        let yaml = """
            id: t
            title: t
            provider: a
            consumer: b
            purpose: p
            legal_basis: l
            valid_from: 2025-01-01
            valid_until: 2026-12-31
            status: active
            on_unlisted_field: \(unlisted)
            detection: \(detection)
            limits: { max_records: 10, max_package_bytes: 1000, rate_per_minute: 1 }
            retention_days: 1
            fields:
            \(fields)
            """
        return try AgreementDecoder().decode(yaml, file: "t.yaml")
    }

    func masker(_ agreement: Agreement) -> RecordMasker {
        RecordMasker(agreement: agreement, pseudonymizer: TestPseudonyms(agreementID: agreement.id), referenceDate: Self.reference)
    }

    func record(_ json: String, number: Int = 1) throws -> Record {
        var decoder = NDJSONRecordDecoder()
        let records = try decoder.feed(Array(json.utf8)) + (try decoder.finish())
        var record = try #require(records.first)
        record.number = number
        return record
    }

    @Test func appliesEachRule() throws {
        let agreement = try agreement(
            """
              - { name: name, type: string, mask: surname }
              - { name: id, type: cn_id, mask: hash }
              - { name: id_profile, type: cn_id, mask: { generalize: birth_year_sex_region } }
              - { name: id_age, type: cn_id, mask: { age_band: 10 } }
              - { name: phone, type: cn_mobile, mask: { partial: { keep_first: 3, keep_last: 4 } } }
              - { name: born, type: date, mask: { generalize: month } }
              - { name: seen, type: datetime, mask: { generalize: year } }
              - { name: age, type: integer, mask: { age_band: 5 } }
              - { name: addr, type: string, mask: { truncate: city } }
              - { name: card, type: bank_card, mask: redact }
              - { name: secret, type: string, mask: suppress }
              - { name: amount, type: decimal }
              - { name: notes, type: text, scan: true }
            """)
        var masker = masker(agreement)
        let input = try record(
            """
            {"name":"欧阳娜娜","id":"11010519491231002x","id_profile":"11010519491231002X","id_age":"440524188001010014",\
            "phone":"+86 138 1234 5678","born":"1990-06-15","seen":"2025-03-01T10:00:00+08:00","age":34,\
            "addr":"浙江省杭州市西湖区文三路90号","card":"4111111111111111","secret":"x","amount":1234.50,\
            "notes":"另一人电话１３９１２３４５６７８。"}
            """)
        let masked = masker.mask(input)
        let output = try #require(masked)
        #expect(output["name"] == .string("欧阳**"))
        #expect(output["id"] == .string(TestPseudonyms(agreementID: "t").pseudonym(of: "11010519491231002X")))
        #expect(output["id_profile"] == .string("110105-1949-F"))
        // Born 1880-01-01: 146 on the reference day, still a possible age.
        #expect(output["id_age"] == .string("140-149"))
        #expect(output["phone"] == .string("138****5678"))
        #expect(output["born"] == .string("1990-06"))
        #expect(output["seen"] == .string("2025"))
        #expect(output["age"] == .string("30-34"))
        #expect(output["addr"] == .string("浙江省杭州市"))
        #expect(output["card"] == .string(RecordMasker.redactionToken))
        #expect(output["secret"] == nil)
        #expect(output["amount"] == .number("1234.50"))
        #expect(output["notes"] == .string("另一人电话139****5678。"))
        #expect(output.keys == ["name", "id", "id_profile", "id_age", "phone", "born", "seen", "age", "addr", "card", "amount", "notes"])
        let summary = masker.summary
        #expect(summary.isClean)
        #expect(summary.detections == [.mobile: 1])
        #expect(
            summary.maskedByRule == [
                "surname": 1, "hash": 1, "generalize": 3, "age_band": 2, "partial": 1, "truncate": 1, "redact": 1, "suppress": 1,
            ])
    }

    /// A scanned field counts as changed in the records where something was found in it,
    /// and only there: a note with nothing to mask passes unchanged and uncounted.
    @Test func scannedValuesCountAsChangedOnlyWhenSomethingWasFound() throws {
        var masker = masker(
            try agreement("  - { name: notes, type: text, scan: true }\n  - { name: addr, type: string, mask: { truncate: city }, scan: true }"))
        let notes = ["电话13912345678，邮箱li.wei@163.com。", "涉案金额12,345.67元。", "无", "车牌浙A12345在路口。", "案号(2025)浙0106刑初123号"]
        for note in notes {
            _ = try #require(masker.mask(try record(#"{"notes":"\#(note)","addr":"浙江省杭州市西湖区文三路90号"}"#)))
        }
        let summary = masker.summary
        #expect(summary.maskedByField["notes"] == 2)
        #expect(summary.detections == [.mobile: 1, .email: 1, .vehiclePlate: 1])
        // Truncated every time, whether or not its scan found anything.
        #expect(summary.maskedByField["addr"] == 5)
    }

    @Test func ageBandFromAnIDNumberUsesTheReferenceDate() throws {
        var masker = masker(try agreement("  - { name: id, type: cn_id, mask: { age_band: 10 } }"))
        // Born 1949-12-31: 76 on 2026-11-29.
        let band = masker.mask(try record(#"{"id":"11010519491231002X"}"#))
        #expect(band == RecordObject([("id", .string("70-79"))]))
    }

    @Test func rejectsUnlistedFieldsByName() throws {
        var masker = masker(try agreement("  - { name: a, type: string }\n  - { name: rep.name, type: string }"))
        let rejected = masker.mask(try record(#"{"a":"x","b":"y","rep":{"name":"n","phone":"p"}}"#))
        #expect(rejected == nil)
        #expect(masker.summary.rejectedFields == ["b", "rep.phone"])
        #expect(!masker.summary.isClean)
        #expect(masker.summary.recordsFailed == 0)
    }

    @Test func dropsUnlistedFieldsAndCountsThem() throws {
        var masker = masker(try agreement("  - { name: a, type: string }\n  - { name: rep.name, type: string }", unlisted: "drop"))
        let output = masker.mask(try record(#"{"a":"x","b":"y","rep":{"name":"n","phone":"p"}}"#))
        #expect(output == RecordObject([("a", .string("x")), ("rep", .object(RecordObject([("name", .string("n"))])))]))
        _ = masker.mask(try record(#"{"a":"x","b":"z"}"#))
        #expect(masker.summary.droppedFields == ["b": 2, "rep.phone": 1])
        #expect(masker.summary.isClean)
    }

    /// Members left out anywhere — unlisted, suppressed, null under suppress — leave the
    /// others in their order with their own values, whichever position they held.
    @Test func membersLeftOutAnywhereKeepTheRestInOrder() throws {
        var masker = masker(
            try agreement(
                "  - { name: a, type: string }\n  - { name: b, type: string, mask: redact }\n  - { name: s, type: string, mask: suppress }\n  - { name: c, type: string }",
                unlisted: "drop"))
        let members = ["a", "b", "s", "c", "x"]
        var checked = 0
        for mask in 0..<(1 << members.count) {
            let present = members.indices.filter { mask & (1 << $0) != 0 }.map { members[$0] }
            for rotation in present.indices {
                let order = Array(present[rotation...] + present[..<rotation])
                let nullS = rotation % 2 == 1
                let json = "{" + order.map { "\"\($0)\":" + ($0 == "s" && nullS ? "null" : "\"v-\($0)\"") }.joined(separator: ",") + "}"
                let output = try #require(masker.mask(try record(json)))
                let expected = order.filter { $0 != "s" && $0 != "x" }
                #expect(output.keys == expected, "order \(order)")
                #expect(output.values == expected.map { $0 == "b" ? .string(RecordMasker.redactionToken) : .string("v-" + $0) })
                checked += 1
            }
        }
        #expect(checked == 80)
    }

    @Test func validationProblemsNameRecordAndFieldButNeverTheValue() throws {
        var masker = masker(
            try agreement(
                """
                  - { name: id, type: cn_id, required: true }
                  - { name: phone, type: cn_mobile }
                  - { name: n, type: integer }
                  - { name: rep.name, type: string }
                """))
        let secretID = "110105194912310021"
        let invalid = masker.mask(try record(#"{"id":"\#(secretID)","phone":"12345","n":"1.5","rep":"flat"}"#, number: 7))
        #expect(invalid == nil)
        let missing = masker.mask(try record(#"{"phone":"13812345678"}"#, number: 8))
        #expect(missing == nil)
        let problems = masker.summary.problems.map(\.description)
        #expect(
            problems == [
                "record 7, field id: not a valid cn_id (the check character does not match)",
                "record 7, field phone: not a valid cn_mobile (not a mainland mobile number)",
                "record 7, field n: not a valid integer (not a whole number)",
                "record 7, field rep: expected an object, found text",
                "record 8, field id: required but missing",
            ])
        #expect(!problems.joined().contains(secretID) && !problems.joined().contains("12345"))
        #expect(masker.summary.recordsFailed == 2)
    }

    @Test func cautiousModeAcceptsAFailedCheckCharacter() throws {
        var strict = masker(try agreement("  - { name: id, type: cn_id, mask: hash }"))
        var cautious = masker(try agreement("  - { name: id, type: cn_id, mask: hash }", detection: "cautious"))
        let input = try record(#"{"id":"110105194912310021"}"#)
        let strictResult = strict.mask(input)
        #expect(strictResult == nil)
        let cautiousResult = cautious.mask(input)
        #expect(cautiousResult != nil)
    }

    @Test func nullsPassAndCountAsMissingWhenRequired() throws {
        var masker = masker(try agreement("  - { name: a, type: string, required: true }\n  - { name: b, type: cn_id, mask: hash }"))
        let withNull = masker.mask(try record(#"{"a":"x","b":null}"#))
        #expect(withNull == RecordObject([("a", .string("x")), ("b", .null)]))
        let requiredNull = masker.mask(try record(#"{"a":null}"#))
        #expect(requiredNull == nil)
        #expect(masker.summary.problems.map(\.reason) == [.missing])
    }

    @Test func unrecognisedAddressesAreRedactedWhole() throws {
        var masker = masker(try agreement("  - { name: addr, type: string, mask: { truncate: district } }"))
        let redacted = masker.mask(try record(#"{"addr":"文三路90号"}"#))
        #expect(redacted == RecordObject([("addr", .string(RecordMasker.redactionToken))]))
        #expect(masker.summary.unrecognisedAddresses == 1)
    }
}

@Suite struct UnlistedFieldNameTests {
    @Test func aFieldNameThatLooksLikePersonalDataIsWithheldFromTheSummary() throws {
        let agreement = try RecordMaskerTests().agreement("  - { name: case_no, type: string }", unlisted: "drop")
        var masker = RecordMaskerTests().masker(agreement)
        // A CSV file without its header row: the first record's values became field names.
        let record = try RecordMaskerTests().record(#"{"case_no":"A1","11010519491231002X":"x","13812345678":"y","remarks":"z"}"#)
        _ = masker.mask(record)
        let names = masker.summary.droppedFields.keys.sorted()
        let leaks = names.filter { $0.contains("11010519491231002X") || $0.contains("13812345678") }
        #expect(leaks.isEmpty)
        #expect(names == [RecordMasker.withheldName, "remarks"])
        #expect(masker.summary.droppedFields[RecordMasker.withheldName] == 2)
    }
}

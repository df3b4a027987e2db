import Testing

@testable import SluiceCore

@Suite("Agreement decoding: a valid file")
struct AgreementDecoderValidTests {
    @Test func decodesEveryKey() throws {
        let agreement = try AgreementDecoder(registry: AgreementFixtures.registry)
            .decode(AgreementFixtures.valid, file: "a.yaml")
        #expect(agreement.id == "psb-household-check")
        #expect(agreement.title == "户籍信息核查")
        #expect(agreement.provider == "district-psb")
        #expect(agreement.consumer == "district-procuratorate")
        #expect(agreement.legalBasis == "《人民检察院刑事诉讼规则》")
        #expect(agreement.validFrom == CalendarDate(year: 2025, month: 1, day: 1))
        #expect(agreement.validUntil == CalendarDate(year: 2026, month: 12, day: 31))
        #expect(agreement.status == .active)
        #expect(agreement.onUnlistedField == .reject)
        #expect(agreement.cryptoProfile == .jose)
        #expect(agreement.limits == AgreementLimits(maxRecords: 10000, maxPackageBytes: 10_485_760, ratePerMinute: 120))
        #expect(agreement.retentionDays == 30)
        #expect(agreement.fields.map(\.name.description) == ["case_no", "name", "id_number", "phone", "birth_date", "address", "notes"])
        #expect(agreement.fields[0].required)
        #expect(!agreement.fields[1].required)
        #expect(agreement.fields[1].mask == .surname)
        #expect(agreement.fields[2].type == .cnID && agreement.fields[2].mask == .hash)
        #expect(agreement.fields[3].mask == .partial(keepFirst: 3, keepLast: 4, maskCharacter: "*"))
        #expect(agreement.fields[4].mask == .generalize(.year))
        #expect(agreement.fields[5].mask == .truncate(.district))
        #expect(agreement.fields[6].scan && agreement.fields[6].mask == .keep)
    }

    @Test func cryptoProfileDefaultsToJOSE() throws {
        let text = AgreementFixtures.replacing(line: 11, with: nil)
        let agreement = try AgreementDecoder(registry: AgreementFixtures.registry).decode(text, file: "a.yaml")
        #expect(agreement.cryptoProfile == .jose)
    }

    @Test func byteLimitsAcceptUnits() throws {
        let text = AgreementFixtures.replacing(line: 14, with: "  max_package_bytes: 10 MiB")
        let agreement = try AgreementDecoder(registry: AgreementFixtures.registry).decode(text, file: "a.yaml")
        #expect(agreement.limits.maxPackageBytes == 10 * 1024 * 1024)
    }

    @Test func nestedFieldsAndFlowStyle() throws {
        let text = AgreementFixtures.replacing(line: 34, with: "  - { name: address.city, type: string }")
            .replacingOccurrences(of: "    type: string\n    mask: { truncate: district }\n", with: "")
        let agreement = try AgreementDecoder(registry: AgreementFixtures.registry).decode(text, file: "a.yaml")
        #expect(agreement.rule(for: FieldPath("address.city")!)?.type == .string)
    }

    @Test func withoutRegistryAgenciesAreNotLookedUp() throws {
        let text = AgreementFixtures.replacing(line: 3, with: "provider: somewhere-else")
        #expect(AgreementFixtures.problems(text, registry: nil) == [])
    }
}

@Suite("Agreement decoding: each rule names the right line")
struct AgreementDecoderRuleTests {
    typealias F = AgreementFixtures

    @Test func unknownKeyWithSuggestion() {
        let text = F.replacing(line: 8, with: "valid_untill: 2026-12-31")
        #expect(
            F.problems(text) == [
                "a.yaml:1:1: error: missing required key \"valid_until\" in the agreement",
                "a.yaml:8:1: error: unknown key \"valid_untill\" in the agreement; did you mean \"valid_until\"?",
            ])
    }

    @Test func unknownKeyWithoutSuggestionListsAllowedKeys() {
        let text = F.addingFields("    colour: red")
        #expect(
            F.problems(text) == [
                "a.yaml:40:5: error: unknown key \"colour\" in field \"notes\"; the keys allowed here are name, type, required, mask, scan"
            ])
    }

    @Test func duplicateKey() {
        let text = F.replacing(line: 2, with: "title: 户籍信息核查\ntitle: again")
        #expect(F.problems(text) == ["a.yaml:2:1: error: key \"title\" appears more than once in the same mapping; keep only one"])
    }

    @Test func missingRequiredKey() {
        #expect(
            F.problems(F.replacing(line: 6, with: nil)) == [
                "a.yaml:1:1: error: missing required key \"legal_basis\" in the agreement"
            ])
    }

    @Test func keyWithoutValue() {
        #expect(F.problems(F.replacing(line: 5, with: "purpose:")) == ["a.yaml:5:9: error: \"purpose\" in the agreement has no value"])
    }

    @Test func missingFieldType() {
        #expect(
            F.problems(F.replacing(line: 19, with: nil)) == [
                "a.yaml:18:5: error: missing required key \"type\" in field \"case_no\""
            ])
    }

    @Test func impossibleDate() {
        #expect(
            F.problems(F.replacing(line: 7, with: "valid_from: 2025-02-29")) == [
                "a.yaml:7:13: error: valid_from 2025-02-29 is not a real day on the calendar"
            ])
    }

    @Test func badlyWrittenDate() {
        #expect(
            F.problems(F.replacing(line: 8, with: "valid_until: 31/12/2026")) == [
                "a.yaml:8:14: error: valid_until must be a date written as YYYY-MM-DD, for example 2025-01-31, not \"31/12/2026\""
            ])
    }

    @Test func reversedDates() {
        #expect(
            F.problems(F.replacing(line: 8, with: "valid_until: 2024-12-31")) == [
                "a.yaml:8:14: error: valid_until 2024-12-31 is before valid_from 2025-01-01; the agreement would never be in force"
            ])
    }

    @Test func unknownAgencyWithSuggestion() {
        #expect(
            F.problems(F.replacing(line: 3, with: "provider: district-pbs")) == [
                "a.yaml:3:11: error: provider \"district-pbs\" is not in the agency registry agencies.yaml; did you mean \"district-psb\"?"
            ])
    }

    @Test func agencyThatIsNotAPartner() {
        #expect(
            F.problems(F.replacing(line: 4, with: "consumer: gateway-admin")) == [
                "a.yaml:4:11: error: consumer \"gateway-admin\" is not a partner agency in agencies.yaml (its roles: admin); only partners provide or receive data"
            ])
    }

    @Test func providerSharingWithItself() {
        #expect(
            F.problems(F.replacing(line: 4, with: "consumer: district-psb")) == [
                "a.yaml:4:11: error: provider and consumer are both \"district-psb\"; an agency cannot share data with itself"
            ])
    }

    @Test func fieldListedTwice() {
        let text = F.addingFields("  - { name: phone, type: cn_mobile }")
        #expect(F.problems(text) == ["a.yaml:40:13: error: field \"phone\" is listed twice (first on line 28)"])
    }

    @Test func nestedFieldUnderAFieldListedWhole() {
        let text = F.addingFields("  - { name: address.city, type: string }")
        #expect(
            F.problems(text) == [
                "a.yaml:40:13: error: field \"address.city\" lies inside field \"address\"; list either the whole of \"address\" or its parts, not both (other entry on line 34)"
            ])
    }

    @Test func invalidFieldName() {
        #expect(
            F.problems(F.addingFields("  - { name: home address, type: string }")) == [
                "a.yaml:40:13: error: field name \"home address\" is not valid: use letters, digits, \"_\" or \"-\", with \".\" only between the parts of a nested name such as address.city"
            ])
    }

    @Test(arguments: [
        (
            "  - { name: age, type: integer, mask: surname }",
            "a.yaml:40:39: error: mask \"surname\" cannot be used on a field of type integer: surname applies to string fields holding personal names"
        ),
        (
            "  - { name: born, type: date, mask: { partial: { keep_first: 4 } } }",
            "a.yaml:40:37: error: mask \"partial\" cannot be used on a field of type date: partial masks characters of text; for date values use redact, hash or suppress"
        ),
        (
            "  - { name: mobile, type: cn_mobile, mask: { partial: { keep_first: 7, keep_last: 4 } } }",
            "a.yaml:40:44: error: mask \"partial\" cannot be used on a field of type cn_mobile: it keeps 11 characters, but a cn_mobile value can be as short as 11, so nothing would be masked; keep fewer characters"
        ),
        (
            "  - { name: seen, type: string, mask: { generalize: month } }",
            "a.yaml:40:39: error: mask \"generalize\" cannot be used on a field of type string: generalize to month applies to date and datetime fields"
        ),
        (
            "  - { name: flag, type: boolean, mask: hash }",
            "a.yaml:40:40: error: mask \"hash\" cannot be used on a field of type boolean: a yes/no value has only two pseudonyms, which hide nothing; use keep, redact or suppress"
        ),
        (
            "  - { name: amount, type: decimal, mask: { truncate: city } }",
            "a.yaml:40:42: error: mask \"truncate\" cannot be used on a field of type decimal: truncate applies to address fields of type string or text"
        ),
        (
            "  - { name: plate, type: vehicle_plate, mask: { age_band: 10 } }",
            "a.yaml:40:47: error: mask \"age_band\" cannot be used on a field of type vehicle_plate: age_band applies to an age (integer), a birth date (date) or an ID number (cn_id)"
        ),
        (
            "  - { name: email, type: email, mask: { generalize: birth_year_sex_region } }",
            "a.yaml:40:39: error: mask \"generalize\" cannot be used on a field of type email: birth_year_sex_region applies to cn_id fields"
        ),
        (
            "  - { name: count, type: integer, scan: true }",
            "a.yaml:40:41: error: scan applies to free-text fields (type text or string), not to a field of type integer"
        ),
    ])
    func maskThatDoesNotFitItsType(line: String, expected: String) {
        #expect(F.problems(F.addingFields(line)) == [expected])
    }

    @Test(arguments: [
        (14, "  max_package_bytes: 0", "a.yaml:14:22: error: max_package_bytes must be 1 or more, not 0"),
        (13, "  max_records: -1", "a.yaml:13:16: error: max_records must be 1 or more, not -1"),
        (15, "  rate_per_minute: 0", "a.yaml:15:20: error: rate_per_minute must be 1 or more, not 0"),
        (16, "retention_days: 0", "a.yaml:16:17: error: retention_days must be 1 or more, not 0"),
        (13, "  max_records: many", "a.yaml:13:16: error: max_records must be a whole number, not \"many\""),
    ])
    func limitThatIsZeroNegativeOrNotANumber(line: Int, text: String, expected: String) {
        #expect(F.problems(F.replacing(line: line, with: text)) == [expected])
    }

    @Test(arguments: ["psb/household", "psb household", "../etc", "-leading-dash", "户籍", String(repeating: "a", count: 65)])
    func unsafeIdentifier(id: String) {
        #expect(
            F.problems(F.replacing(line: 1, with: "id: \"\(id)\"")) == [
                "a.yaml:1:5: error: id \"\(id)\" is not a safe identifier: use 1 to 64 ASCII letters, digits, \"-\", \"_\" or \".\", starting with a letter or digit (no spaces or slashes)"
            ])
    }

    @Test func unknownEnumValueWithSuggestion() {
        #expect(
            F.problems(F.replacing(line: 9, with: "status: actve")) == [
                "a.yaml:9:9: error: status \"actve\" is not one of draft, active, suspended, revoked; did you mean \"active\"?"
            ])
        #expect(
            F.problems(F.replacing(line: 10, with: "on_unlisted_field: ignore")) == [
                "a.yaml:10:20: error: on_unlisted_field \"ignore\" is not one of reject, drop"
            ])
    }

    @Test func unknownFieldTypeWithSuggestion() {
        #expect(
            F.problems(F.replacing(line: 25, with: "    type: cn_idd")) == [
                "a.yaml:25:11: error: type \"cn_idd\" is not one of string, text, integer, decimal, boolean, date, datetime, cn_id, cn_uscc, cn_mobile, cn_landline, bank_card, email, passport, hk_macau_permit, vehicle_plate; did you mean \"cn_id\"?"
            ])
    }

    @Test func maskSpelling() {
        #expect(
            F.problems(F.replacing(line: 23, with: "    mask: surnme")) == [
                "a.yaml:23:11: error: unknown mask \"surnme\"; did you mean \"surname\"?"
            ])
        #expect(
            F.problems(F.replacing(line: 23, with: "    mask: partial")) == [
                "a.yaml:23:11: error: mask \"partial\" needs parameters: write mask: { partial: { keep_first: 3, keep_last: 4 } }"
            ])
        #expect(
            F.problems(F.replacing(line: 23, with: "    mask: { hash: sha256 }")) == [
                "a.yaml:23:13: error: mask \"hash\" takes no parameters; write mask: hash"
            ])
        #expect(
            F.problems(F.replacing(line: 23, with: "    mask: { partial: { keep_first: -1 } }")) == [
                "a.yaml:23:36: error: keep_first must be 0 or more, not -1"
            ])
    }

    @Test func requiredMustBeABoolean() {
        #expect(
            F.problems(F.replacing(line: 20, with: "    required: yes")) == [
                "a.yaml:20:15: error: required must be true or false, not \"yes\""
            ])
    }

    @Test func emptyWhitelist() {
        let text = F.valid.components(separatedBy: "\n").prefix(16).joined(separator: "\n") + "\nfields: []\n"
        #expect(
            F.problems(text) == [
                "a.yaml:17:9: error: fields lists no field; an agreement must whitelist at least one field"
            ])
    }

    @Test func wrongShapes() {
        #expect(F.problems("- just\n- a list\n") == ["a.yaml:1:1: error: the agreement must be a mapping of keys to values (key: value)"])
        #expect(
            F.problems(
                F.replacing(line: 12, with: "limits: 100").replacingOccurrences(
                    of: "  max_records: 10000\n  max_package_bytes: 10485760\n  rate_per_minute: 120\n", with: "")) == [
                    "a.yaml:12:9: error: limits must be a mapping of keys to values (key: value)"
                ])
        #expect(F.problems("") == ["a.yaml:1:1: error: the file is empty"])
    }

    @Test func yamlSyntaxErrorIsLocated() {
        let problems = F.problems(F.replacing(line: 2, with: "title: [unclosed"))
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("a.yaml:3:") == true)
        #expect(problems.first?.contains("error: the file is not valid YAML here:") == true)
    }

    @Test func everyProblemIsReportedAtOnceInLineOrder() {
        var text = F.replacing(line: 3, with: "provider: nobody")
        text = text.replacingOccurrences(of: "status: active", with: "status: live")
        text = text.replacingOccurrences(of: "retention_days: 30", with: "retention_days: 0")
        let lines = F.problems(text).map { $0.split(separator: ":")[1] }
        #expect(lines == ["3", "9", "16"])
    }
}

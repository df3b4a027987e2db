import SluiceCore
import Testing

@testable import SluiceMasking

/// The filter and mask steps on their own, without a record walk around them.
@Suite("Field filter and mask steps") struct FieldStepTests {
    static func fields(_ yaml: String) throws -> [FieldRule] {
        try RecordMaskerTests().agreement(yaml).fields
    }

    static let listed = """
          - { name: name, type: string, mask: surname }
          - { name: id, type: cn_id, mask: keep }
          - { name: legal_rep.phone, type: cn_mobile, mask: { partial: { keep_first: 3, keep_last: 4 } } }
        """

    @Test func theFilterTellsListedNestedAndUnlistedMembersApart() throws {
        var filter = FieldFilter(fields: try Self.fields(Self.listed), policy: .drop)
        filter.start(topLevelKeys: 3)
        guard case .field(0) = filter.decide("name", at: 0, under: filter.tree, top: true) else {
            Issue.record("name is field 0")
            return
        }
        guard case .nested(let node) = filter.decide("legal_rep", at: 1, under: filter.tree, top: true) else {
            Issue.record("legal_rep holds a listed field")
            return
        }
        guard case .field(2) = filter.decide("phone", at: 0, under: node, top: false) else {
            Issue.record("phone is field 2")
            return
        }
        guard case .unlisted = filter.decide("email", at: 1, under: node, top: false) else {
            Issue.record("email is unlisted")
            return
        }
        guard case .unlisted = filter.decide("notes", at: 2, under: filter.tree, top: true) else {
            Issue.record("notes is unlisted")
            return
        }
        // The next record's keys in the same places are read from the cache; another key
        // at a cached place is looked up, not taken for the cached one.
        guard case .field(0) = filter.decide("name", at: 0, under: filter.tree, top: true) else {
            Issue.record("cached name")
            return
        }
        guard case .field(1) = filter.decide("id", at: 0, under: filter.tree, top: true) else {
            Issue.record("id at name's place")
            return
        }
        guard case .unlisted = filter.decide("nam", at: 0, under: filter.tree, top: true) else {
            Issue.record("a near name is unlisted")
            return
        }
    }

    @Test func unlistedNamesAreCountedAsTheAgreementSaysAndNeverAsPersonalData() throws {
        var dropping = FieldFilter(fields: try Self.fields(Self.listed), policy: .drop)
        var tally = MaskingSummary()
        #expect(!dropping.countUnlisted("notes", in: &tally))
        #expect(!dropping.countUnlisted("notes", in: &tally))
        // A CSV file without its header makes values the field names.
        #expect(!dropping.countUnlisted("11010519491231002X", in: &tally))
        #expect(tally.droppedFields == ["notes": 2, RecordMasker.withheldName: 1])

        var rejecting = FieldFilter(fields: try Self.fields(Self.listed), policy: .reject)
        var refused = MaskingSummary()
        #expect(rejecting.countUnlisted("legal_rep.email", in: &refused))
        #expect(refused.rejectedFields == ["legal_rep.email"])
        for number in 0..<(MaskingSummary.nameListLimit + 5) { _ = rejecting.countUnlisted("extra\(number)", in: &refused) }
        #expect(refused.rejectedFields.count == MaskingSummary.nameListLimit)
        #expect(refused.otherUnlistedFields == 6)
    }

    @Test func theMaskStepSaysWhatEachRuleMakesOfAValue() throws {
        let masks = FieldMask(
            fields: try Self.fields(Self.listed), pseudonymizer: TestPseudonyms(agreementID: "t"), referenceDate: RecordMaskerTests.reference)
        func masked(_ operation: AppliedRule.Operation, _ text: String, _ type: FieldType = .string, field: Int = 0) throws -> String? {
            if case .masked(let value) = try masks.apply(operation, to: text, type: type, field: field) { return value }
            return nil
        }
        #expect(try masked(.surname, "张三丰") == "张**")
        #expect(try masked(.partial(keepFirst: 3, keepLast: 4), "13812345678", field: 2) == "138****5678")
        #expect(try masked(.year, "2026-11-29", .date) == "2026")
        #expect(try masked(.month, "2026-11-29", .date) == "2026-11")
        #expect(try masked(.birthYearSexRegion, "11010519491231002X", .cnID) == "110105-1949-F")
        #expect(try masked(.ageBand(years: 10), "1990-06-01", .date) == "30-39")
        #expect(try masked(.truncate(.district), "浙江省杭州市西湖区文三路90号", .string) == "浙江省杭州市西湖区")
        #expect(try masked(.hash, "x") == TestPseudonyms(agreementID: "t").pseudonym(of: "x"))
        #expect(try masked(.redact, "x") == RecordMasker.redactionToken)
        guard case .suppressed = try masks.apply(.suppress, to: "x", type: .string, field: 0) else {
            Issue.record("suppress")
            return
        }
        // What a rule cannot vouch for is told apart, for the walk to count and redact.
        guard case .unexpected = try masks.apply(.surname, to: "13812345678", type: .string, field: 0) else {
            Issue.record("digits are no name")
            return
        }
        guard case .unrecognisedAddress = try masks.apply(.truncate(.district), to: "见附件", type: .string, field: 0) else {
            Issue.record("no address levels")
            return
        }
        #expect(throws: RecordProblem.Reason.self) { try masks.apply(.birthYearSexRegion, to: "not an id", type: .cnID, field: 0) }
        #expect(throws: RecordProblem.Reason.self) { try masks.apply(.ageBand(years: 10), to: "text", type: .string, field: 0) }
    }
}

import SluiceCore
import Testing

@testable import SluiceMasking

/// Masks that keep part of a value (`surname`, `truncate`) keep no personal data: what
/// they would keep is checked, and a value that is not what the mask expects is redacted
/// whole, counted and reported.
@Suite struct KeptTextTests {
    let fixture = RecordMaskerTests()

    func masked(_ json: String) throws -> (RecordObject?, MaskingSummary) {
        let agreement = try fixture.agreement(
            """
              - { name: name, type: string, mask: surname }
              - { name: address, type: string, mask: { truncate: district } }
              - { name: note, type: text, scan: true }
            """, unlisted: "drop")
        var masker = fixture.masker(agreement)
        let output = masker.mask(try fixture.record(json))
        return (output, masker.summary)
    }

    @Test func aSurnameFieldHoldingAnIDNumberIsRedactedWhole() throws {
        let (output, summary) = try masked(#"{"name": "11010519491231002X Zhang", "address": "浙江省杭州市西湖区文三路90号", "note": "无"}"#)
        #expect(output?["name"] == .string("[REDACTED]"))
        #expect(summary.unexpectedValues == ["name": 1])
    }

    @Test(arguments: [("San Zhang", "*** Zhang"), ("Zhang San", "Zhang ***"), ("Zhang San Feng", "Zhang *** ****"), ("张淑珍", "张**")])
    func romanisedNamesKeepTheirSurnameInEitherOrder(name: String, expected: String) throws {
        let (output, summary) = try masked(#"{"name": "\#(name)", "address": "浙江省杭州市西湖区文三路90号", "note": "无"}"#)
        #expect(output?["name"] == .string(expected))
        #expect(summary.unexpectedValues.isEmpty)
    }

    @Test(arguments: ["张三 13812345678", "Zhang3", "Zhang San <zhang@qq.com>", "李#四"])
    func valuesThatAreNotNamesAreRedacted(name: String) throws {
        let (output, summary) = try masked(#"{"name": "\#(name)", "address": "浙江省杭州市西湖区文三路90号", "note": "无"}"#)
        #expect(output?["name"] == .string("[REDACTED]"))
        #expect(summary.unexpectedValues["name"] == 1)
    }

    @Test func aTruncatedAddressThatKeepsANumberIsRedacted() throws {
        let (output, summary) = try masked(#"{"name": "张三", "address": "浙江省一三八一二三四五六七八市西湖区文三路90号", "note": "无"}"#)
        #expect(output?["address"] == .string("[REDACTED]"))
        #expect(summary.unexpectedValues["address"] == 1)
        let (plain, clean) = try masked(#"{"name": "张三", "address": "浙江省杭州市西湖区文三路90号", "note": "无"}"#)
        #expect(plain?["address"] == .string("浙江省杭州市西湖区"))
        #expect(clean.unexpectedValues.isEmpty)
    }

    @Test func theRecordsOwnValueInItsNoteIsMaskedTheSameCheckedWay() throws {
        let (output, _) = try masked(#"{"name": "11010519491231002X Zhang", "address": "浙江省杭州市西湖区", "note": "见11010519491231002X Zhang本人"}"#)
        guard case .string(let note)? = output?["note"] else {
            Issue.record("no note")
            return
        }
        #expect(!note.contains("1949"))
    }
}

import SluiceMasking

/// A free-text case note mixing personal data with numbers that only look like it, and
/// the truth about which is which: what detector recall and false positives are measured on.
public struct FakeCaseNote: Sendable {
    public var text: String
    /// The personal data written into the note, as written.
    public var planted: [(kind: DetectionKind, written: String)]
    /// Numbers that must not be reported as the kind they imitate in strict mode: a
    /// case number, an ID number with a wrong check character, a card number failing
    /// Luhn, an unallocated mobile block, a credit code with a wrong check character.
    public var lookAlikes: [FakeLookAlike]
}

/// A number that looks like personal data of one kind but fails that kind's rules.
public struct FakeLookAlike: Sendable {
    public var text: String
    /// The kind it imitates; nil for numbers that merely look official (case numbers).
    public var imitates: DetectionKind?

    init(_ text: String, imitates: DetectionKind?) {
        self.text = text
        self.imitates = imitates
    }
}

extension FakeData {
    /// Writes `value` the way people do: sometimes in full-width digits, phones sometimes
    /// grouped or with +86, cards sometimes in groups of four.
    mutating func written(_ value: String, kind: DetectionKind) -> String {
        let style = Int.random(in: 0..<6, using: &random)
        var text = value
        switch (kind, style) {
        case (.mobile, 1): text = "+86 " + value
        case (.mobile, 2): text = String(value.prefix(3)) + "-" + String(value.dropFirst(3).prefix(4)) + "-" + String(value.suffix(4))
        case (.bankCard, 1) where value.count == 16:
            text = stride(from: 0, to: 16, by: 4).map { String(Array(value)[$0..<$0 + 4]) }.joined(separator: " ")
        case (.residentID, 1): text = value.lowercased()
        default: break
        }
        if style == 5, kind != .email, kind != .vehiclePlate { text = Self.fullWidth(text) }
        return text
    }

    static func fullWidth(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    (0x21...0x7E).contains(scalar.value) ? UnicodeScalar(scalar.value + 0xFEE0)! : scalar
                }))
    }

    public mutating func lookAlike() -> FakeLookAlike {
        switch Int.random(in: 0..<7, using: &random) {
        case 0: return FakeLookAlike("(2025)浙0106刑初" + String(Int.random(in: 1...999, using: &random)) + "号", imitates: nil)
        case 1:
            // An ID number whose check character is off by one.
            let valid = residentID()
            let checks = Array("10X98765432")
            let index = checks.firstIndex(of: valid.last!)!
            return FakeLookAlike(String(valid.dropLast()) + String(checks[(index + 1) % checks.count]), imitates: .residentID)
        case 2:
            let card = bankCard()
            let last = Int(String(card.last!))!
            return FakeLookAlike(String(card.dropLast()) + String((last + 1) % 10), imitates: .bankCard)
        case 3: return FakeLookAlike("154" + digits(8), imitates: .mobile)
        case 4:
            let code = creditCode()
            return FakeLookAlike(String(code.dropLast()) + (code.last == "0" ? "1" : "0"), imitates: .creditCode)
        case 5: return FakeLookAlike("2025" + digits(16), imitates: nil)
        default: return FakeLookAlike("12" + digits(9), imitates: .mobile)
        }
    }

    /// The kinds a case note plants among its numbers: every kind but names, which
    /// ``FakeNameNote`` plants, and addresses, which a note may end with.
    public static let numberKinds = DetectionKind.allCases.filter { $0 != .personName && $0 != .address }

    public mutating func caseNote() -> FakeCaseNote {
        var parts: [String] = []
        var planted: [(DetectionKind, String)] = []
        var lookAlikes: [FakeLookAlike] = []
        let openings = ["经查，", "据当事人陈述，", "办案人员核实：", "补充材料显示，", ""]
        parts.append(pick(openings))
        for _ in 0..<Int.random(in: 2...5, using: &random) {
            let kind = pick(Self.numberKinds)
            let value: String
            let lead: String
            switch kind {
            case .residentID: (value, lead) = (residentID(), "身份证号码")
            case .creditCode: (value, lead) = (creditCode(), "统一社会信用代码")
            case .bankCard: (value, lead) = (bankCard(), "银行卡号")
            case .mobile: (value, lead) = (mobile(), "联系电话")
            case .landline: (value, lead) = (landline(), "办公电话")
            case .email: (value, lead) = (email(), "电子邮箱")
            case .passport: (value, lead) = (passport(), "护照号")
            case .travelPermit: (value, lead) = (travelPermit(), "往来港澳通行证")
            case .vehiclePlate: (value, lead) = (vehiclePlate(), "涉案车辆")
            case .personName, .address: continue
            }
            let text = written(value, kind: kind)
            planted.append((kind, text))
            parts.append(name() + lead + pick(["", "为", "：", " "]) + text + pick(["，", "。", "；", " "]))
            if Int.random(in: 0..<2, using: &random) == 0 {
                let fake = lookAlike()
                lookAlikes.append(fake)
                parts.append(pick(["案号", "流水号", "编号", "账号尾号前缀", "备注"]) + fake.text + "，")
            }
        }
        switch Int.random(in: 0..<4, using: &random) {
        case 0:
            let address = address()
            planted.append((.address, address))
            parts.append("现住" + address + "。")
        case 1: parts.append("涉案金额12,345.67元。")
        case 2: parts.append("于2024-03-15 14:30到案。")
        default: break
        }
        return FakeCaseNote(text: parts.joined(), planted: planted, lookAlikes: lookAlikes)
    }
}

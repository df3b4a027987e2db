import SluiceCore

extension FakeData {
    /// A household record whose case note speaks of the person it is about: their name
    /// (plain, spaced, with an ideographic space or an invisible character inside), and
    /// sometimes their ID number or phone, as clerks write such notes. `mentions` gives the
    /// name as it stands in the record, for checking what masking left.
    public mutating func householdRecordMentioningItsSubject(number: Int) -> (record: RecordObject, name: String) {
        var record = householdRecord(number: number)
        guard case .string(let name)? = record["name"], case .string(let id)? = record["id_number"] else { return (record, "") }
        let written = writtenName(name)
        let templates = [
            "经查，该号码为\(written)本人号码。",
            "\(written)于2025年3月到我院说明情况。",
            "当事人\(written)（身份证号\(id)）称其不知情。",
            "据\(written)陈述，涉案账户由其亲属使用。",
            "证人称见过\(written)与他人交易。",
            "\(written)的联系电话已核实，与户籍登记一致。",
        ]
        record["notes"] = .string(pick(templates) + (Bool.random(using: &random) ? caseNote().text : ""))
        return (record, name)
    }

    /// A name as people type it into a note: as is, or with spaces or an invisible
    /// character between its characters.
    mutating func writtenName(_ name: String) -> String {
        let characters = name.map(String.init)
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return characters.joined(separator: " ")
        case 1: return characters.joined(separator: "\u{3000}")
        case 2: return characters.joined(separator: "\u{200B}")
        case 3: return characters[0] + " " + characters.dropFirst().joined()
        default: return name
        }
    }
}

import SluiceCore

extension FakeData {
    /// A record for the household-registration agreement (`psb-household-check`), its
    /// field names matching the example in `Agreements/`.
    public mutating func householdRecord(number: Int) -> RecordObject {
        let birth = birthDate()
        return RecordObject([
            ("case_no", .string("(2025)江东检刑诉\(number)号")),
            ("name", .string(name())),
            ("id_number", .string(residentID(born: birth))),
            ("sex", .string(pick(["男", "女"]))),
            ("ethnicity", .string(pick(["汉族", "回族", "满族", "壮族"]))),
            ("birth_date", .string(birth.description)),
            ("phone", .string(written(mobile(), kind: .mobile))),
            ("household_address", .string(address())),
            ("household_type", .string(pick(["非农业家庭户口", "农业家庭户口", "集体户口"]))),
            ("registration_date", .string(birthDate().description)),
            ("notes", .string(caseNote().text)),
        ])
    }

    /// A 20-field record of the kind benchmarks measure: identifiers, contact data,
    /// dates, amounts and a short note.
    public mutating func wideRecord(number: Int) -> RecordObject {
        let birth = birthDate()
        return RecordObject([
            ("case_no", .string("JD-\(number)")),
            ("name", .string(name())),
            ("id_number", .string(residentID(born: birth))),
            ("birth_date", .string(birth.description)),
            ("age", .number(String(AgeOf.years(birth)))),
            ("sex", .string(pick(["男", "女"]))),
            ("phone", .string(mobile())),
            ("landline", .string(landline())),
            ("email", .string(email())),
            ("card_number", .string(bankCard())),
            ("credit_code", .string(creditCode())),
            ("address", .string(address())),
            ("employer", .string(pick(["江东区某贸易有限公司", "某市建设工程公司", "个体经营"]))),
            ("balance", .number(String(Int.random(in: 0...9_999_999, using: &random)) + "." + digits(2))),
            ("opened_on", .string(birthDate().description)),
            ("last_seen_at", .string("2025-0\(Int.random(in: 1...9, using: &random))-1\(Int.random(in: 0...9, using: &random))T10:15:00+08:00")),
            ("passport", .string(passport())),
            ("plate", .string(vehiclePlate())),
            ("status", .string(pick(["正常", "冻结", "销户"]))),
            ("notes", .string(pick(["无", "已核实", "联系电话" + mobile() + "，请回电", "本人身份证" + residentID()]))),
        ])
    }
}

enum AgeOf {
    static func years(_ birth: CalendarDate) -> Int { 2026 - birth.year }
}

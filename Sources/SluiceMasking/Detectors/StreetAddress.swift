import SluiceCore

/// Street addresses in free text: administrative parts (province, city, district or
/// county, town), then a street, road, lane, village or compound, a house number, and
/// perhaps a building, unit and room (`现住浙江省杭州市西湖区文三路90号3幢201室`). Found from the
/// house number or room back to where the address starts, and cut after the level the
/// agreement's address rule names (the district by default): what stays is
/// `浙江省杭州市西湖区`, as an address field under `truncate` keeps.
///
/// A place named without a street and number (`杭州市西湖区`, `张家港市`) is not an address
/// of a person and stays. Found in the same pass over Han characters as ``PersonName``:
/// 号, 室, 栋 and 幢 are among the characters that pass stops at. Pure.
enum StreetAddress {
    /// Characters that end a street-level part.
    static let streetEnds = HanCharacterSet("路街道巷弄村里同坊屯庄园苑院寓厦区城府湾")
    /// Two-character endings of compounds that name no district (小区 is not a district).
    static let compounds = ["小区", "花园", "公寓", "大厦", "新村", "家园", "广场", "社区"].map { Array($0.utf8) }
    /// Characters that end an administrative part.
    static let adminEnds = HanCharacterSet("省市区县旗盟州镇乡")
    /// Characters that end a building, unit or room after the house number.
    static let unitEnds = HanCharacterSet("号栋幢座楼单元室层户")
    /// Characters an address does not contain: where walking back from its number stops
    /// (现住, 位于, 地址：).
    static let before = HanCharacterSet("住在于至到往址为是从自居籍系的和与及或即")
    static let anchors = "号室栋幢"
    static let anchorCharacters = HanCharacterSet(anchors)

    /// The address whose house number or room ends with the anchor character at `anchor`
    /// (number digits before it), not reaching back before `floor`: its range and what
    /// masking keeps of it.
    static func match(_ text: UnsafeBufferPointer<UInt8>, anchor: Int, floor: Int, level: MaskRule.AddressLevel)
        -> (range: Range<Int>, kept: Kept)?
    {
        // The number: ASCII digits, letters and hyphens (90, 12-3, A2), or Chinese numerals.
        var position = anchor
        while position > floor, ASCIIBytes.isAlphanumeric(text[position - 1]) || text[position - 1] == 0x2D { position -= 1 }
        if position == anchor {
            while position - 3 >= floor,
                ChineseNumerals.characters.contains(PersonName.scalar3(text, position - 3))
                    || PersonName.scalar3(text, position - 3) == 0x5341  // 十
            {
                position -= 3
            }
        }
        guard position < anchor, anchor - position <= 12 else { return nil }
        // The street or compound: Han characters ending in a street character.
        guard let (streetEnd, _) = PersonName.hanBefore(text, position, floor: floor), streetEnds.contains(streetEnd) else { return nil }
        var start = position
        var streetLength = 0
        var adminEnd: Int?
        while let (scalar, length) = PersonName.hanBefore(text, start, floor: floor), streetLength < 24 {
            // 自 stops the walk (来自), except in 自治区, 自治州, 自治县.
            if before.contains(scalar), scalar != 0x81EA || start + 3 > text.count || PersonName.scalar3(text, start) != 0x6CBB { break }
            // The first administrative ending met going back ends the administrative parts,
            // unless it belongs to a compound's name (西湖区 before 文三路, not 小区).
            if adminEnd == nil, adminEnds.contains(scalar), streetLength > 0, !endsCompound(text, start) { adminEnd = start }
            start -= length
            streetLength += 1
        }
        guard let adminEnd, start < adminEnd, adminEnd - start >= 6 else { return nil }
        // Building, unit and room after the number (88号院3号楼2单元501室).
        var end = continued(text, anchor + 3)
        while true {
            var next = end
            while next < text.count, ASCIIBytes.isAlphanumeric(text[next]) || text[next] == 0x2D { next += 1 }
            guard next > end, next + 3 <= text.count, unitEnds.contains(PersonName.scalar3(text, next)) else { break }
            end = continued(text, next + 3)
        }
        return (start..<end, kept(text, administrative: start..<adminEnd, level: level))
    }

    /// What masking keeps of an address: bytes of the scanned text, written in order (the
    /// second part is empty unless a 市辖区 between them is left out). Offsets, not a copy:
    /// an address is found in a quarter of case notes.
    struct Kept: Equatable {
        var first: Range<Int>
        var second: Range<Int>

        init(_ first: Range<Int>, _ second: Range<Int>? = nil) {
            self.first = first
            self.second = second ?? first.upperBound..<first.upperBound
        }
    }

    /// Past the second character of a two-character unit (号院, 号楼, 单元) at `end`.
    private static func continued(_ text: UnsafeBufferPointer<UInt8>, _ end: Int) -> Int {
        guard end + 3 <= text.count else { return end }
        let next = PersonName.scalar3(text, end)
        // 院, 楼, 元
        return next == 0x9662 || next == 0x697C || next == 0x5143 ? end + 3 : end
    }

    /// Whether the administrative ending just before `end` is the last character of a
    /// compound (小区, 社区).
    private static func endsCompound(_ text: UnsafeBufferPointer<UInt8>, _ end: Int) -> Bool {
        compounds.contains { compound in
            end - compound.count >= 0 && compound.indices.allSatisfy { text[end - compound.count + $0] == compound[$0] }
        }
    }

    /// The administrative parts cut at `level`: as an address field's truncation cuts them
    /// when they start with a province; otherwise up to the first part that is that level
    /// (a city's 市, 盟, 地区 or 自治州 — a bare 州 is inside names: 杭州市 — a district's
    /// 区 or 县), or nothing. Bytes in, bytes out: this runs for every address in free text.
    static func kept(_ text: UnsafeBufferPointer<UInt8>, administrative: Range<Int>, level: MaskRule.AddressLevel) -> Kept {
        let start = administrative.lowerBound
        let bytes = UnsafeBufferPointer(rebasing: text[administrative])
        if let cut = AddressTruncation.keptBytes(bytes, level: level) {
            guard let skipped = cut.skipped else { return Kept(start..<start + cut.end) }
            return Kept(start..<start + skipped.lowerBound, start + skipped.upperBound..<start + cut.end)
        }
        switch level {
        case .province: return Kept(start..<start)
        case .district: return Kept(administrative)
        case .city:
            for ending in cityEndings {
                if let end = firstEnd(of: ending, in: bytes) { return Kept(start..<start + end) }
            }
            return Kept(start..<start)
        }
    }

    private static let cityEndings = ["市", "盟", "地区", "自治州"].map { Array($0.utf8) }

    /// The end of the first occurrence of `needle` in `bytes`.
    private static func firstEnd(of needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard needle.count <= bytes.count else { return nil }
        for start in 0...(bytes.count - needle.count) where needle.indices.allSatisfy({ bytes[start + $0] == needle[$0] }) {
            return start + needle.count
        }
        return nil
    }
}

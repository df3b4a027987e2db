/// Numbers spelled in Chinese numerals, one character a digit, as phone numbers and ID
/// numbers are read out and typed (`一三八一二三四五六七八`, `幺三八…`, the financial forms
/// 壹贰叁…). A run of seven or more is read as ASCII digits and given to the number
/// detectors; what they find is masked in the same way, written in digits.
///
/// Found in the same pass over Han characters as ``PersonName`` (the numerals are among
/// the characters that pass stops at).
enum ChineseNumerals {
    /// Each numeral's digit.
    static let digits: [UInt32: UInt8] = {
        var table: [UInt32: UInt8] = [:]
        for (digit, characters) in ["〇零洞", "一幺壹", "二贰", "三叁", "四肆", "五伍", "六陆", "七柒", "八捌", "九玖"].enumerated() {
            for scalar in characters.unicodeScalars { table[scalar.value] = UInt8(digit) }
        }
        return table
    }()

    static let characters = HanCharacterSet(["〇零洞一幺壹二贰三叁四肆五伍六陆七柒八捌九玖"])

    /// The shortest run worth reading: a landline's subscriber number.
    static let shortestRun = 7

    /// The number spelled from `start` (a numeral), with spaces or hyphens allowed between
    /// numerals: its range and its digits as ASCII; nil for a shorter run.
    static func run(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> (range: Range<Int>, digits: [UInt8])? {
        // Most numerals stand alone (一个, 第三); only a long run is read into an array.
        var counted = 0
        var probe = start
        while counted < shortestRun, probe + 3 <= text.count, text[probe] & 0xF0 == 0xE0,
            characters.contains(PersonName.scalar3(text, probe))
        {
            counted += 1
            probe += 3
            if probe < text.count, text[probe] == 0x20 || text[probe] == 0x2D { probe += 1 }
        }
        guard counted == shortestRun else { return nil }
        var ascii: [UInt8] = []
        var index = start
        var end = start
        while index + 3 <= text.count {
            let scalar = PersonName.scalar3(text, index)
            guard text[index] & 0xF0 == 0xE0, characters.contains(scalar), let digit = digits[scalar] else { break }
            ascii.append(0x30 + digit)
            index += 3
            end = index
            // One separator between numerals, as between digits.
            if index < text.count, text[index] == 0x20 || text[index] == 0x2D { index += 1 }
            if ascii.count > 19 { return nil }
        }
        // An ID number's check character X has no numeral: it is written as the letter.
        if ascii.count == 17, end < text.count, text[end] | 0x20 == UInt8(ascii: "x") {
            ascii.append(UInt8(ascii: "X"))
            end += 1
        }
        guard ascii.count >= shortestRun else { return nil }
        return (start..<end, ascii)
    }
}

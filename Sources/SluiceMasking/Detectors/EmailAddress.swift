/// E-mail addresses in the common dot-atom form: `local@domain.tld`, the top-level
/// domain at least two letters; and with a Chinese domain (`zhang.san@公安.中国`): labels
/// of Han characters, the top-level one from the Chinese top-level domains in use, which
/// also tells where the address ends in Chinese text around it.
public enum EmailAddress {
    @inline(__always) static func isLocalByte(_ byte: UInt8) -> Bool {
        ASCIIBytes.isAlphanumeric(byte) || byte == 0x2E || byte == 0x5F || byte == 0x25 || byte == 0x2B || byte == 0x2D
    }

    public static func isValid(_ text: String) -> Bool {
        ASCIIBytes.withBytes(text) { match($0, from: 0, cautious: false) == $0.count }
    }

    /// Where the domain after an @ at `at` ends, read as ``match(_:from:cautious:)`` reads
    /// it: labels of letters, digits and hyphens joined by dots, cut where digits follow a
    /// top-level domain's letters. The scanner steps over a domain whose address did not
    /// match: a second masking pass meets the domain a first pass kept, and must not start
    /// an address inside it.
    static func domainEnd(_ text: UnsafeBufferPointer<UInt8>, at: Int) -> Int {
        var index = at + 1
        var labelStart = index
        var dotted = false
        while index < text.count {
            let byte = text[index]
            if byte == 0x2E {
                dotted = true
                labelStart = index + 1
            } else if ASCIIBytes.isDigit(byte) {
                if dotted, index - labelStart >= 2, (labelStart..<index).allSatisfy({ ASCIIBytes.isLetter(text[$0]) }) { break }
            } else if !ASCIIBytes.isLetter(byte), byte != 0x2D {
                break
            }
            index += 1
        }
        return index
    }

    /// Chinese top-level domains in use (CNNIC's and ICANN's delegated ones).
    static let chineseTopLevelDomains = [
        "中国", "中國", "公司", "网络", "政务", "公益", "在线", "中文网", "网址", "商城", "集团", "手机", "企业", "信息", "网店", "网站",
        "商标", "商店", "购物", "游戏", "娱乐", "时尚", "微博", "我爱你", "世界", "香港", "台湾", "台灣", "澳门", "新加坡", "广东", "佛山",
    ].map { Array($0.utf8) }.sorted { $0.count > $1.count }

    /// The end of the longest Chinese top-level domain the label starts with, or nil.
    private static func chineseTopLevelDomain(_ text: UnsafeBufferPointer<UInt8>, _ label: Range<Int>) -> Int? {
        for domain in chineseTopLevelDomains where domain.count <= label.count {
            if domain.indices.allSatisfy({ text[label.lowerBound + $0] == domain[$0] }) { return label.lowerBound + domain.count }
        }
        return nil
    }

    static func match(_ text: UnsafeBufferPointer<UInt8>, from start: Int, cautious: Bool) -> Int? {
        guard ASCIIBytes.isAlphanumeric(text[start]) else { return nil }
        var index = start
        while index < text.count, isLocalByte(text[index]), index - start < 64 { index += 1 }
        guard index < text.count, text[index] == UInt8(ascii: "@"), text[index - 1] != 0x2E else { return nil }
        index += 1
        var labels = 0
        var end: Int?
        // Labels of letters, digits and inner hyphens, separated by dots.
        while index < text.count {
            let labelStart = index
            if PersonName.han(text, at: index) != nil {
                while let (_, length) = PersonName.han(text, at: index) { index += length }
                labels += 1
                if labels >= 2, let tld = Self.chineseTopLevelDomain(text, labelStart..<index) {
                    end = tld
                    if tld < index { break }
                }
                guard index + 1 < text.count, text[index] == 0x2E else { break }
                index += 1
                continue
            }
            while index < text.count, ASCIIBytes.isAlphanumeric(text[index]) || text[index] == 0x2D { index += 1 }
            guard index > labelStart, text[labelStart] != 0x2D, text[index - 1] != 0x2D else { break }
            labels += 1
            // A top-level domain is letters; digits glued to it start something else
            // (`li@sina.com6222…` is an address and a card number).
            var letters = labelStart
            while letters < index, ASCIIBytes.isLetter(text[letters]) { letters += 1 }
            if labels >= 2, letters - labelStart >= 2, letters == index || ASCIIBytes.isDigit(text[letters]) {
                end = letters
                // Digits after the top-level domain's letters are not the domain's.
                if letters < index { break }
            }
            guard index + 1 < text.count, text[index] == 0x2E, ASCIIBytes.isAlphanumeric(text[index + 1]) else { break }
            index += 1
        }
        guard let end, end >= text.count || !ASCIIBytes.isLetter(text[end]) else { return nil }
        return end
    }
}

import SluiceCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds personal data in free text: every detector's matches, leftmost-longest and
/// never overlapping, each standing as a word of its own (a 20-digit case number holds
/// no ID number).
///
/// Strict by default: a number that fails its check character is not reported as that
/// kind. `cautious` reports anything of the right shape, for agreements that prefer
/// over-masking to the risk of a miss.
public struct TextScanner: Sendable {
    public var cautious: Bool
    /// Where a street address in the text is cut: the level of the agreement's address
    /// rule, the district when it has none.
    public var addressLevel: MaskRule.AddressLevel
    /// Whether street addresses are looked for: not in an address field, which its own
    /// `truncate` rule cuts.
    public var findsAddresses: Bool

    public init(cautious: Bool = false, addressLevel: MaskRule.AddressLevel = .district, findsAddresses: Bool = true) {
        self.cautious = cautious
        self.addressLevel = addressLevel
        self.findsAddresses = findsAddresses
    }

    /// Every detection, in order.
    public func detections(in text: String) -> [Detection] {
        ASCIIBytes.withBytes(text) { bytes -> [Detection] in
            guard let folded = WidthNormalization.fold(bytes, forDetection: true) else {
                return matches(in: bytes).map { Detection(kind: $0.kind, range: $0.range) }
            }
            return folded.bytes.withUnsafeBufferPointer { normalized in
                matches(in: normalized).map {
                    Detection(kind: $0.kind, range: folded.originalRange($0.range))
                }
            }
        }
    }

    /// The text with each detection replaced by its kind's default mask, and the count
    /// of detections per kind added to `counts`.
    public func masked(_ text: String, counts: inout [DetectionKind: Int]) -> String {
        var byPosition = DetectionCounts()
        let result = masked(text, counts: &byPosition)
        byPosition.add(to: &counts)
        return result
    }

    /// The same, counted without a dictionary: for callers that scan many texts.
    public func masked(_ text: String, counts: inout DetectionCounts) -> String {
        var glued = false
        guard let first = maskedOnce(text, counts: &counts, glued: &glued) else { return text }
        return glued ? remasked(first, counts: &counts) : first
    }

    /// `original` with every match found in `normalized` (its width-folded form, or the
    /// same bytes) masked; nil when nothing was found. For a caller that folded the text
    /// already (``RecordMasker`` looks for the record's own values in the same bytes).
    func masked(
        _ original: UnsafeBufferPointer<UInt8>, normalized: UnsafeBufferPointer<UInt8>, folded: FoldedText?,
        counts: inout DetectionCounts
    ) -> String? {
        var glued = false
        guard let first = maskedOnce(original, normalized: normalized, folded: folded, counts: &counts, glued: &glued) else { return nil }
        return glued ? remasked(first, counts: &counts) : first
    }

    /// Masking can leave a neighbour standing alone that was glued to what was masked (a
    /// plate written against a phone number, which the phone's mask then sets apart). Only
    /// a match with a letter or digit right against it can do that; then the masked text is
    /// scanned again, and masked again while anything is found, so that nothing detectable
    /// is left. Two more rounds at most.
    private func remasked(_ text: String, counts: inout DetectionCounts) -> String {
        var result = text
        for _ in 0..<2 {
            var glued = false
            guard let again = maskedOnce(result, counts: &counts, glued: &glued) else { break }
            result = again
        }
        return result
    }

    /// One round: the text with every match masked, nil when nothing was found.
    private func maskedOnce(_ text: String, counts: inout DetectionCounts, glued: inout Bool) -> String? {
        ASCIIBytes.withBytes(text) { original -> String? in
            guard let folded = WidthNormalization.fold(original, forDetection: true) else {
                return maskedOnce(original, normalized: original, folded: nil, counts: &counts, glued: &glued)
            }
            return folded.bytes.withUnsafeBufferPointer { maskedOnce(original, normalized: $0, folded: folded, counts: &counts, glued: &glued) }
        } ?? nil
    }

    /// `glued` is set when a match has an ASCII letter or digit right before or after it.
    private func maskedOnce(
        _ original: UnsafeBufferPointer<UInt8>, normalized: UnsafeBufferPointer<UInt8>, folded: FoldedText?,
        counts: inout DetectionCounts, glued: inout Bool
    ) -> String? {
        var cursor = MatchCursor(names: PersonName.matches(in: normalized, cautious: cautious, addressLevel: findsAddresses ? addressLevel : nil))
        guard var (kind, range, spelled, address) = cursor.next(self, normalized) else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: MaskedTextWriter.capacity(forMasking: original.count)) { buffer in
            var out = MaskedTextWriter(buffer)
            var copied = 0
            while true {
                let originalRange = folded.map { $0.originalRange(range) } ?? range
                out.append(original, range: copied..<originalRange.lowerBound)
                if let address {
                    out.append(normalized, range: address.first)
                    out.append(normalized, range: address.second)
                } else {
                    out.beginMask()
                    if let spelled {
                        // A number in Chinese numerals is masked as its digits read.
                        spelled.withUnsafeBufferPointer { DefaultMask.append(kind, $0, to: &out) }
                    } else {
                        DefaultMask.append(kind, UnsafeBufferPointer(rebasing: normalized[range]), to: &out)
                    }
                    out.endMask()
                }
                copied = originalRange.upperBound
                counts.add(kind)
                if !glued {
                    glued =
                        (range.lowerBound > 0 && ASCIIBytes.isAlphanumeric(normalized[range.lowerBound - 1]))
                        || (range.upperBound < normalized.count && ASCIIBytes.isAlphanumeric(normalized[range.upperBound]))
                }
                guard let next = cursor.next(self, normalized) else { break }
                (kind, range, spelled, address) = next
            }
            out.append(original, range: copied..<original.count)
            return out.string()
        }
    }

    /// The matches of the number and e-mail detectors alone (no names), in order: for
    /// digits read from Chinese numerals.
    func numberMatches(in text: UnsafeBufferPointer<UInt8>) -> [(kind: DetectionKind, range: Range<Int>)] {
        var found: [(kind: DetectionKind, range: Range<Int>)] = []
        var index = 0
        while let match = nextMatch(text, from: &index) { found.append(match) }
        return found
    }

    /// Every match in width-normalised bytes, in order.
    func matches(in text: UnsafeBufferPointer<UInt8>) -> [(kind: DetectionKind, range: Range<Int>)] {
        var found: [(kind: DetectionKind, range: Range<Int>)] = []
        var cursor = MatchCursor(names: PersonName.matches(in: text, cautious: cautious, addressLevel: findsAddresses ? addressLevel : nil))
        while let match = cursor.next(self, text) { found.append((match.kind, match.range)) }
        return found
    }

    /// The numbers, e-mail addresses and plates ``nextMatch(_:from:)`` finds, merged in
    /// order with the names and spelled numbers ``PersonName`` found before (a name never overlaps a number:
    /// one is Han characters, the other ASCII; where a plate's province character would
    /// start a name, the plate wins).
    struct MatchCursor {
        private var index = 0
        private var names: [PersonName.Match]
        private var nameIndex = 0
        private var pending: (kind: DetectionKind, range: Range<Int>)?
        private var exhausted = false
        /// Whether the text has an @ at all: without one, no e-mail address is looked for.
        private var holdsAt: Bool?

        init(names: [PersonName.Match]) {
            self.names = names
        }

        /// The next match: its kind, where it lies, and for a number spelled in Chinese
        /// numerals the digits it reads as.
        mutating func next(_ scanner: TextScanner, _ text: UnsafeBufferPointer<UInt8>)
            -> (kind: DetectionKind, range: Range<Int>, spelled: [UInt8]?, address: StreetAddress.Kept?)?
        {
            if pending == nil, !exhausted {
                if holdsAt == nil { holdsAt = TextScanner.holdsAt(text) }
                pending = scanner.nextMatch(text, from: &index, mayHoldEmail: holdsAt!)
                exhausted = pending == nil
            }
            while nameIndex < names.count {
                let name = names[nameIndex]
                if let number = pending?.range, number.overlaps(name.range) {
                    nameIndex += 1
                    continue
                }
                guard let number = pending?.range, number.lowerBound < name.range.lowerBound else {
                    nameIndex += 1
                    return (name.kind, name.range, name.digits.isEmpty ? nil : name.digits, name.address)
                }
                break
            }
            defer { pending = nil }
            return pending.map { ($0.kind, $0.range, nil, nil) }
        }
    }

    /// The next match in width-normalised bytes at or after `index`, which is moved past
    /// it (to the end when there is none). A loop, not a callback: the callers' state
    /// stays out of closures, whose captured variables are checked for exclusive access
    /// at run time.
    func nextMatch(_ text: UnsafeBufferPointer<UInt8>, from index: inout Int, mayHoldEmail: Bool = true)
        -> (kind: DetectionKind, range: Range<Int>)?
    {
        let count = text.count
        while index < count {
            let byte = text[index]
            if byte < 0x80 {
                let alphanumeric = ASCIIBytes.isAlphanumeric(byte)
                if alphanumeric || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "(") {
                    // At a word's start every kind may match; at digits glued to letters
                    // (`tel13812345678`) only the kinds written in digits alone.
                    // Letters right after digits may start an e-mail address's local part
                    // (`13812345678zhang@qq.com` after `+86 `).
                    let wordStart = ASCIIBytes.isLeftBoundary(text, index)
                    let afterDigits = mayHoldEmail && !wordStart && ASCIIBytes.isDigit(text[index - 1])
                    if wordStart || (ASCIIBytes.isDigit(byte) && ASCIIBytes.isDigitBoundary(text, index - 1)) || afterDigits,
                        let (kind, end) = longestMatch(
                            text, at: index, digitsOnly: !wordStart && !afterDigits, emailOnly: afterDigits, mayHoldEmail: mayHoldEmail),
                        Self.isClearOfMaskedEnds(text, index..<end)
                    {
                        defer { index = end }
                        return (kind, index..<end)
                    }
                    if alphanumeric {
                        // The rest of this run of letters, or of digits, cannot start a match.
                        let digits = ASCIIBytes.isDigit(byte)
                        index += 1
                        while index < count, ASCIIBytes.isDigit(text[index]) == digits, ASCIIBytes.isAlphanumeric(text[index]) { index += 1 }
                        continue
                    }
                }
                // What follows an @ that started no address is a domain, not the start of one.
                index = byte == UInt8(ascii: "@") ? EmailAddress.domainEnd(text, at: index) : index + 1
            } else {
                // Only a plate starts with a non-ASCII character, and only a province
                // character right before a capital letter starts a plate: so the whole run of
                // non-ASCII bytes is skipped, and only its last character can start a match.
                let run = index
                index = ASCIIBytes.next(ascii: true, in: text, from: index + 1)
                let province = index - 3
                if index < count, province >= run, ASCIIBytes.isUpper(text[index]), VehiclePlate.couldStart(text[province]),
                    let end = VehiclePlate.match(text, from: province, cautious: cautious)
                {
                    defer { index = end }
                    return (.vehiclePlate, province..<end)
                }
            }
        }
        return nil
    }

    /// Whether the text holds an @ (found with memchr).
    static func holdsAt(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress, !text.isEmpty else { return false }
        return memchr(base, 0x40, text.count) != nil
    }

    /// Whether a match beside a run of stars is more than the kept end of a masked value:
    /// its characters against the stars number more than a mask ever keeps.
    static func isClearOfMaskedEnds(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        if ASCIIBytes.isMaskRun(text, from: range.lowerBound - 1, step: -1) {
            var end = range.lowerBound
            while end < range.upperBound, ASCIIBytes.isAlphanumeric(text[end]) { end += 1 }
            if end - range.lowerBound <= ASCIIBytes.longestKeptEnd { return false }
        }
        if ASCIIBytes.isMaskRun(text, from: range.upperBound, step: 1) {
            var start = range.upperBound
            while start > range.lowerBound, ASCIIBytes.isAlphanumeric(text[start - 1]) { start -= 1 }
            if range.upperBound - start <= ASCIIBytes.longestKeptEnd { return false }
        }
        return true
    }

    /// The longest match of any detector at `start`; on equal length the earlier kind in
    /// ``DetectionKind`` order wins. `digitsOnly`: only the kinds written in digits alone.
    private func longestMatch(
        _ text: UnsafeBufferPointer<UInt8>, at start: Int, digitsOnly: Bool = false, emailOnly: Bool = false, mayHoldEmail: Bool = true
    ) -> (DetectionKind, Int)? {
        let byte = text[start]
        var best: (DetectionKind, Int)?
        func consider(_ kind: DetectionKind, _ end: Int?) {
            if let end, end > (best?.1 ?? start) { best = (kind, end) }
        }
        // The length of the run of digits decides which detectors can match at all; most
        // numbers in case notes (years, amounts, counts) are rejected here without running any.
        var run = 0
        while start + run < text.count, ASCIIBytes.isDigit(text[start + run]) { run += 1 }
        let separated = DigitGroups.separatesDigits(text, at: start + run)
        var word = run
        while start + word < text.count, ASCIIBytes.isAlphanumeric(text[start + word]) { word += 1 }
        if emailOnly {
            // Nothing but an address's local part starts here.
        } else if run > 0 {
            let checkX = run == 17 && start + run < text.count && text[start + run] | 0x20 == UInt8(ascii: "x")
            if run == 18 || run == 15 || checkX || (run == 6 && separated) { consider(.residentID, matchResidentID(text, start)) }
            // A credit code is 18 characters, and a card solid or an ID number's length
            // ends where its run of digits does: after an ID number read whole, neither can
            // be longer, and neither is checked.
            let readWhole = best.map { $0.1 >= start + word } ?? false
            if !digitsOnly, word == 18, !readWhole { consider(.creditCode, matchCreditCode(text, start)) }
            if (13...19).contains(run) && !readWhole || (run == 4 && separated) {
                consider(.bankCard, BankCardNumber.match(text, from: start, cautious: cautious))
            }
            if run == 11 || run == 13 || run == 15 || ((2...4).contains(run) && separated) {
                consider(.mobile, MobileNumber.match(text, from: start, cautious: cautious))
            }
            if byte == 0x30, (3...4).contains(run) || (10...12).contains(run) {
                consider(.landline, LandlineNumber.match(text, from: start, cautious: cautious))
            }
        } else if byte == UInt8(ascii: "+") {
            consider(.mobile, MobileNumber.match(text, from: start, cautious: cautious))
            return best
        } else if byte == UInt8(ascii: "(") {
            consider(.landline, LandlineNumber.match(text, from: start, cautious: cautious))
            return best
        } else if ASCIIBytes.isUpper(byte), !digitsOnly {
            if word == 18 { consider(.creditCode, matchCreditCode(text, start)) }
            if word == 8 || word == 9 {
                consider(.passport, TravelDocumentNumber.matchPassport(text, from: start, cautious: cautious))
                consider(.travelPermit, TravelDocumentNumber.matchTravelPermit(text, from: start, cautious: cautious))
            }
        }
        // An e-mail address needs an @ after its local part.
        guard !digitsOnly, mayHoldEmail else { return best }
        // The word's letters and digits are part of it already.
        var local = start + min(word, 64)
        while local < text.count, EmailAddress.isLocalByte(text[local]), local - start < 64 { local += 1 }
        if local < text.count, text[local] == UInt8(ascii: "@") {
            consider(.email, EmailAddress.match(text, from: start, cautious: cautious))
        }
        return best
    }

    /// An ID number solid or grouped 6-8-4 or 6-4-4-4 with any one separator
    /// (`110105 19491231 002X`), or the legacy 15 digits.
    private func matchResidentID(_ text: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        let groups = DigitGroups(text, from: start, maxGroups: 4, finalX: true)
        // A final X ends the number whatever follows: nothing can continue it.
        if let end = groups.end(ifStartingWith: 18) ?? groups.end(ifStartingWith: 6, 8, 4) ?? groups.end(ifStartingWith: 6, 4, 4, 4),
            groups.digit(17) == 10 || ASCIIBytes.isDigitBoundary(text, end),
            // Written solid, the number is checked where it stands; grouped, as its digits.
            end == start + 18
                ? ResidentIDNumber.isValid18(text, at: start, cautious: cautious)
                : groups.withASCII(count: 18, { ResidentIDNumber.isValid18($0, at: 0, cautious: cautious) })
        {
            return end
        }
        if let end = groups.end(ifStartingWith: 15), groups.digit(14) < 10, ASCIIBytes.isDigitBoundary(text, end),
            groups.withASCII(count: 15, { ResidentIDNumber.isValid15($0, at: 0) })
        {
            return end
        }
        return nil
    }

    private func matchCreditCode(_ text: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        guard UnifiedSocialCreditCode.isValid(text, at: start, cautious: cautious),
            ASCIIBytes.isRightBoundary(text, start + 18)
        else { return nil }
        return start + 18
    }
}

import Yams

/// Reads the node tree of one YAML file into typed values, collecting a located,
/// plainly worded ``Diagnostic`` for every problem instead of stopping at the first.
struct YAMLReader {
    let file: String
    private var reported: [Diagnostic] = []

    /// Problems in reading order, so a clerk can fix the file top to bottom.
    var diagnostics: [Diagnostic] {
        reported.enumerated().sorted {
            ($0.element.location.line, $0.element.location.column, $0.offset)
                < ($1.element.location.line, $1.element.location.column, $1.offset)
        }.map(\.element)
    }

    /// How many problems have been found so far; cheaper than sorting them.
    var problemCount: Int { reported.count }

    init(file: String) {
        self.file = file
    }

    /// Parses the text into its single root node, or records why it cannot.
    mutating func root(of text: String) -> Node? {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                report(.emptyDocument, at: nil, "the file is empty")
                return nil
            }
            return node
        } catch let error as YamlError {
            reportSyntax(error)
        } catch {
            report(.yamlSyntax, at: nil, "the file is not valid YAML")
        }
        return nil
    }

    func location(of node: Node?) -> SourceLocation {
        let mark = node?.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    mutating func report(_ code: Diagnostic.Code, at node: Node?, _ message: String) {
        reported.append(Diagnostic(code, at: location(of: node), message))
    }

    private mutating func reportSyntax(_ error: YamlError) {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            reported.append(
                Diagnostic(
                    .yamlSyntax, at: SourceLocation(file: file, line: mark.line, column: mark.column),
                    "the file is not valid YAML here: \(problem)"))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            reported.append(
                Diagnostic(
                    .duplicateKey, at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                    "key \(keys) appears more than once in the same mapping; keep only one"))
        case .reader(let problem, _, _, _):
            report(.yamlSyntax, at: nil, "the file cannot be read as UTF-8 text: \(problem)")
        default:
            report(.yamlSyntax, at: nil, "the file is not valid YAML")
        }
    }

    // MARK: Shapes

    /// Checks that `node` is a mapping whose keys are all known.
    mutating func mapping(_ node: Node, context: String, allowed: [String]) -> YAMLMapping? {
        guard case .mapping(let mapping) = node else {
            report(.wrongShape, at: node, "\(context) must be a mapping of keys to values (key: value)")
            return nil
        }
        var values: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                report(.wrongShape, at: keyNode, "keys in \(context) must be plain words")
                continue
            }
            // Repeated keys never reach this point: the YAML composer refuses them.
            let key = scalar.string
            guard allowed.contains(key) else {
                var message = "unknown key \"\(key)\" in \(context)"
                if let hint = NearestName.suggestion(for: key, among: allowed) {
                    message += "; did you mean \"\(hint)\"?"
                } else {
                    message += "; the keys allowed here are " + allowed.joined(separator: ", ")
                }
                report(.unknownKey, at: keyNode, message)
                continue
            }
            values[key] = value
        }
        return YAMLMapping(node: node, context: context, values: values)
    }

    /// The value for `key`, or a "missing required key" problem at the mapping.
    mutating func required(_ key: String, in mapping: YAMLMapping) -> Node? {
        guard let node = mapping[key], !isNull(node) else {
            if let node = mapping[key] {
                report(.missingKey, at: node, "\"\(key)\" in \(mapping.context) has no value")
            } else {
                report(.missingKey, at: mapping.node, "missing required key \"\(key)\" in \(mapping.context)")
            }
            return nil
        }
        return node
    }

    /// The value for an optional key; an explicit null counts as absent.
    func optional(_ key: String, in mapping: YAMLMapping) -> Node? {
        guard let node = mapping[key], !isNull(node) else { return nil }
        return node
    }

    mutating func sequence(_ node: Node, key: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            report(.wrongShape, at: node, "\(key) must be a list (one \"- \" line per item, or [a, b])")
            return nil
        }
        return Array(sequence)
    }

    private func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    // MARK: Scalars

    /// A scalar's text; `nonEmpty` refuses blank text such as `title: ""`.
    mutating func string(_ node: Node, key: String, nonEmpty: Bool = true) -> String? {
        guard case .scalar(let scalar) = node else {
            report(.wrongShape, at: node, "\(key) must be a single value, not a list or mapping")
            return nil
        }
        if nonEmpty, scalar.string.allSatisfy(\.isWhitespace) {
            report(.invalidValue, at: node, "\(key) is empty")
            return nil
        }
        return scalar.string
    }

    /// A whole number; `_` may group digits as in `10_000`.
    mutating func integer(_ node: Node, key: String) -> Int? {
        guard let text = string(node, key: key) else { return nil }
        guard let value = Self.parseInteger(text) else {
            report(.invalidValue, at: node, "\(key) must be a whole number, not \"\(text)\"")
            return nil
        }
        return value
    }

    /// A whole number that must be at least 1: limits and periods.
    mutating func positiveInteger(_ node: Node, key: String, parse: (String) -> Int? = Self.parseInteger) -> Int? {
        guard let text = string(node, key: key) else { return nil }
        guard let value = parse(text) else {
            report(.invalidValue, at: node, "\(key) must be a whole number, not \"\(text)\"")
            return nil
        }
        guard value >= 1 else {
            report(.invalidLimit, at: node, "\(key) must be 1 or more, not \(value)")
            return nil
        }
        return value
    }

    mutating func boolean(_ node: Node, key: String) -> Bool? {
        guard let text = string(node, key: key) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            report(.invalidValue, at: node, "\(key) must be true or false, not \"\(text)\"")
            return nil
        }
    }

    mutating func date(_ node: Node, key: String) -> CalendarDate? {
        guard let text = string(node, key: key) else { return nil }
        if let date = CalendarDate(iso8601: text) { return date }
        let shaped =
            text.count == 10
            && text.enumerated().allSatisfy { index, character in
                index == 4 || index == 7 ? character == "-" : character.isASCIIDigit
            }
        report(
            .invalidDate, at: node,
            shaped
                ? "\(key) \(text) is not a real day on the calendar"
                : "\(key) must be a date written as YYYY-MM-DD, for example 2025-01-31, not \"\(text)\"")
        return nil
    }

    /// One of an enumeration's spellings, with a hint for near misses.
    mutating func choice<Value: RawRepresentable & CaseIterable>(
        _ node: Node, key: String, as: Value.Type = Value.self
    ) -> Value? where Value.RawValue == String {
        guard let text = string(node, key: key) else { return nil }
        if let value = Value(rawValue: text) { return value }
        let names = Value.allCases.map(\.rawValue)
        var message = "\(key) \"\(text)\" is not one of " + names.joined(separator: ", ")
        if let hint = NearestName.suggestion(for: text, among: names) {
            message += "; did you mean \"\(hint)\"?"
        }
        report(.invalidValue, at: node, message)
        return nil
    }

    static func parseInteger(_ text: String) -> Int? {
        let digits = text.trimmingWhitespace().filter { $0 != "_" }
        return Int(digits)
    }

    /// Bytes as a plain number or with a unit: `10485760`, `10 MiB`, `500KB`.
    static func parseByteCount(_ text: String) -> Int? {
        let trimmed = text.trimmingWhitespace()
        let number = trimmed.prefix { $0.isASCIIDigit || $0 == "_" || $0 == "-" }
        let unit = trimmed.dropFirst(number.count).trimmingWhitespace().lowercased()
        let multipliers: [String: Int] = [
            "": 1, "b": 1, "kb": 1_000, "mb": 1_000_000, "gb": 1_000_000_000,
            "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30,
        ]
        guard let value = parseInteger(String(number)), let multiplier = multipliers[unit] else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : product
    }
}

extension String {
    /// The text without leading and trailing whitespace (Foundation-free). Values
    /// rarely need trimming, so the common case only looks at the two end bytes and
    /// returns the string itself.
    public func trimmingWhitespace() -> String {
        var copy = self
        let untouched = copy.withUTF8 { bytes -> Bool in
            guard !bytes.isEmpty else { return false }
            // The last scalar starts at the last byte that is not a continuation byte.
            var last = bytes.count - 1
            while last > 0, bytes[last] & 0xC0 == 0x80 { last -= 1 }
            return !Self.isWhitespace(Self.scalarValue(bytes, at: 0)) && Self.endsItsCharacter(Self.scalarValue(bytes, at: last))
        }
        return untouched ? self : Substring(self).trimmingWhitespace()
    }

    /// The value of the scalar whose lead byte is at `index` in valid UTF-8: decoded by
    /// hand, since the scalar views' `first` and `last` cost more than the checks here.
    private static func scalarValue(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32 {
        let lead = UInt32(bytes[index])
        func continuation(_ offset: Int) -> UInt32 { UInt32(bytes[index + offset] & 0x3F) }
        if lead < 0x80 { return lead }
        if lead < 0xE0 { return (lead & 0x1F) << 6 | continuation(1) }
        if lead < 0xF0 { return (lead & 0x0F) << 12 | continuation(1) << 6 | continuation(2) }
        return (lead & 0x07) << 18 | continuation(1) << 12 | continuation(2) << 6 | continuation(3)
    }

    /// Unicode's White_Space property, spelled out: the property lookup costs more than
    /// the rest of the check on this path, run for every value.
    private static func isWhitespace(_ value: UInt32) -> Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Whether a last scalar that is not whitespace also starts the last character, so
    /// that character is not whitespace either: true for printable ASCII, Han and
    /// full-width forms (a space followed by a combining mark is one whitespace
    /// character, which is why not every scalar qualifies).
    private static func endsItsCharacter(_ value: UInt32) -> Bool {
        switch value {
        case 0x21...0x7E, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF01...0xFF5E, 0x20000...0x3134F: return true
        default: return false
        }
    }
}

extension Substring {
    /// The text without leading and trailing whitespace.
    public func trimmingWhitespace() -> String {
        var start = startIndex
        while start < endIndex, self[start].isWhitespace { start = index(after: start) }
        var end = endIndex
        while end > start, self[index(before: end)].isWhitespace { end = index(before: end) }
        return String(self[start..<end])
    }
}

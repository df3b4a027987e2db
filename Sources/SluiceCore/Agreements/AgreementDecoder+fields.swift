import Yams

extension AgreementDecoder {
    static let fieldKeys = ["name", "type", "required", "mask", "scan"]

    /// The whitelist: each entry decoded, then checked against the others for repeats
    /// and for a nested field listed under a parent that is listed whole.
    func decodeFields(_ node: Node, reader: inout YAMLReader) -> [FieldRule]? {
        guard let items = reader.sequence(node, key: "fields") else { return nil }
        guard !items.isEmpty else {
            reader.report(.noFields, at: node, "fields lists no field; an agreement must whitelist at least one field")
            return nil
        }
        var rules: [FieldRule] = []
        var lines: [FieldPath: Int] = [:]
        var complete = true
        for (index, item) in items.enumerated() {
            let (rule, named) = decodeField(item, number: index + 1, reader: &reader)
            if rule == nil { complete = false }
            // A field with a broken type or mask still takes part in the checks between
            // names, so every problem of the list shows up in one run.
            guard let (name, nameNode) = named else { continue }
            let line = reader.location(of: nameNode).line
            if let first = lines[name] {
                reader.report(.duplicateField, at: nameNode, "field \"\(name)\" is listed twice (first on line \(first))")
                complete = false
                continue
            }
            for (earlier, earlierLine) in lines where name.isInside(earlier) || earlier.isInside(name) {
                let (inner, outer) = name.isInside(earlier) ? (name, earlier) : (earlier, name)
                reader.report(
                    .overlappingFields, at: nameNode,
                    "field \"\(inner)\" lies inside field \"\(outer)\"; list either the whole of \"\(outer)\" "
                        + "or its parts, not both (other entry on line \(earlierLine))")
                complete = false
            }
            lines[name] = line
            if let rule { rules.append(rule) }
        }
        return complete ? rules : nil
    }

    /// The rule when the entry is valid, and its name with the name's node whenever the
    /// name itself is readable.
    private func decodeField(
        _ node: Node, number: Int, reader: inout YAMLReader
    ) -> (rule: FieldRule?, name: (FieldPath, Node)?) {
        let nameText = node.mapping?["name"]?.scalar?.string
        let context = nameText.map { "field \"\($0)\"" } ?? "field \(number)"
        guard let map = reader.mapping(node, context: context, allowed: Self.fieldKeys) else { return (nil, nil) }
        let errorsBefore = reader.problemCount

        let nameNode = reader.required("name", in: map)
        let name = nameNode.flatMap { node -> FieldPath? in
            guard let text = reader.string(node, key: "name") else { return nil }
            guard let path = FieldPath(text) else {
                reader.report(
                    .invalidFieldName, at: node,
                    "field name \"\(text)\" is not valid: use letters, digits, \"_\" or \"-\", "
                        + "with \".\" only between the parts of a nested name such as address.city")
                return nil
            }
            return path
        }
        let type = reader.required("type", in: map).flatMap { reader.choice($0, key: "type", as: FieldType.self) }
        let required = reader.optional("required", in: map).map { reader.boolean($0, key: "required") } ?? false
        let scan = reader.optional("scan", in: map).map { reader.boolean($0, key: "scan") } ?? false
        let maskNode = reader.optional("mask", in: map)
        let mask = maskNode.map { decodeMask($0, reader: &reader) } ?? .keep

        if let type, let mask, let maskNode, let misfit = mask.misfit(for: type) {
            reader.report(
                .maskDoesNotFit, at: maskNode,
                "mask \"\(mask.keyword)\" cannot be used on a field of type \(type.rawValue): \(misfit)")
        }
        if let type, scan == true, ![.text, .string].contains(type), let scanNode = map["scan"] {
            reader.report(
                .maskDoesNotFit, at: scanNode,
                "scan applies to free-text fields (type text or string), not to a field of type \(type.rawValue)")
        }
        let named = name.flatMap { name in nameNode.map { (name, $0) } }
        guard reader.problemCount == errorsBefore, let name, let type, let required, let scan, let mask else {
            return (nil, named)
        }
        return (FieldRule(name: name, type: type, required: required, mask: mask, scan: scan), named)
    }

    /// A mask is a word (`hash`) or a one-key mapping (`{ generalize: year }`).
    func decodeMask(_ node: Node, reader: inout YAMLReader) -> MaskRule? {
        switch node {
        case .scalar(let scalar):
            let word = scalar.string
            if let rule = MaskRule.wordRules[word] { return rule }
            if let example = Self.maskExamples[word] {
                reader.report(.invalidValue, at: node, "mask \"\(word)\" needs parameters: write mask: \(example)")
            } else {
                reportUnknownMask(word, at: node, reader: &reader)
            }
            return nil
        case .mapping(let mapping):
            guard mapping.count == 1, let (keyNode, value) = mapping.first, let key = keyNode.scalar?.string else {
                reader.report(
                    .invalidValue, at: node, "a mask with parameters has exactly one key, such as { generalize: year }")
                return nil
            }
            return decodeParameterisedMask(key, value: value, keyNode: keyNode, reader: &reader)
        default:
            reader.report(.wrongShape, at: node, "mask must be a word such as hash, or a mapping such as { generalize: year }")
            return nil
        }
    }

    static let maskExamples = [
        "partial": "{ partial: { keep_first: 3, keep_last: 4 } }",
        "generalize": "{ generalize: year }",
        "age_band": "{ age_band: 10 }",
        "truncate": "{ truncate: district }",
    ]

    private func decodeParameterisedMask(
        _ key: String, value: Node, keyNode: Node, reader: inout YAMLReader
    ) -> MaskRule? {
        switch key {
        case "partial":
            guard let map = reader.mapping(value, context: "partial", allowed: ["keep_first", "keep_last", "mask_char"])
            else { return nil }
            let first = reader.optional("keep_first", in: map).map { nonNegative($0, key: "keep_first", reader: &reader) } ?? 0
            let last = reader.optional("keep_last", in: map).map { nonNegative($0, key: "keep_last", reader: &reader) } ?? 0
            let character =
                reader.optional("mask_char", in: map).map { node -> Character? in
                    guard let text = reader.string(node, key: "mask_char", nonEmpty: false), text.count == 1,
                        let character = text.first
                    else {
                        reader.report(.invalidValue, at: node, "mask_char must be exactly one character, such as *")
                        return nil
                    }
                    return character
                } ?? "*"
            guard let first, let last, let character else { return nil }
            return .partial(keepFirst: first, keepLast: last, maskCharacter: character)
        case "generalize":
            return reader.choice(value, key: "generalize", as: MaskRule.Generalization.self).map { .generalize($0) }
        case "age_band":
            return reader.positiveInteger(value, key: "age_band").map { .ageBand(years: $0) }
        case "truncate":
            return reader.choice(value, key: "truncate", as: MaskRule.AddressLevel.self).map { .truncate($0) }
        case let word where MaskRule.wordRules[word] != nil:
            reader.report(.invalidValue, at: keyNode, "mask \"\(word)\" takes no parameters; write mask: \(word)")
            return nil
        default:
            reportUnknownMask(key, at: keyNode, reader: &reader)
            return nil
        }
    }

    private func nonNegative(_ node: Node, key: String, reader: inout YAMLReader) -> Int? {
        guard let value = reader.integer(node, key: key) else { return nil }
        guard value >= 0 else {
            reader.report(.invalidValue, at: node, "\(key) must be 0 or more, not \(value)")
            return nil
        }
        return value
    }

    private func reportUnknownMask(_ word: String, at node: Node, reader: inout YAMLReader) {
        var message = "unknown mask \"\(word)\""
        if let hint = NearestName.suggestion(for: word, among: MaskRule.keywords) {
            message += "; did you mean \"\(hint)\"?"
        } else {
            message += "; masks are " + MaskRule.keywords.joined(separator: ", ")
        }
        reader.report(.invalidValue, at: node, message)
    }
}

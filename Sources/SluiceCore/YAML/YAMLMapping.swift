import Yams

/// A YAML mapping whose keys have been checked: each value is reachable by its key, and
/// the mapping's own node is kept for locating "missing key" problems.
struct YAMLMapping {
    let node: Node
    /// Human words for the mapping in messages: "the agreement", "field \"phone\"".
    let context: String
    private(set) var values: [String: Node] = [:]

    init(node: Node, context: String, values: [String: Node]) {
        self.node = node
        self.context = context
        self.values = values
    }

    subscript(key: String) -> Node? { values[key] }
}

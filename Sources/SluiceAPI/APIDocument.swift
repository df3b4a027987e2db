import Foundation

/// The JSON documents of Sluice's HTTP API, one Codable type per schema of `openapi.yaml`
/// (`APIDocument.Receipt` is `#/components/schemas/Receipt`): the gateway encodes them,
/// the client and the command-line tool decode them, and a test holds `openapi.yaml` to
/// their members. Members are written sorted by name, so equal documents are equal bytes
/// (two refusals that must not be told apart are byte for byte the same); an optional
/// member the schema lists as nullable is written as `null`, never left out.
public enum APIDocument {
    /// The encoder every document is written with: members sorted, slashes unescaped.
    public static func encoded(_ document: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(document)
    }

    /// A document read from a response body; nil when it is not one.
    public static func decoded<Document: Decodable>(_ type: Document.Type, from body: Data) -> Document? {
        try? JSONDecoder().decode(type, from: body)
    }
}

import Foundation

/// The members of an entry the console shows in its tables, decoded from the entry's
/// canonical JSON; an entry that does not decode is shown by its sequence and bytes only.
struct EntryFields: Decodable, Sendable {
    var time: String
    var actor: Actor
    var action: String
    var agreement: Agreement?
    var package: String?
    var outcome: String
    var reason: String?
    var requestID: String?
    var remoteAddress: String?

    struct Agreement: Decodable, Sendable {
        var id: String
        var version: Int?
    }

    struct Actor: Decodable, Sendable {
        var id: String
        var kind: String
    }

    enum CodingKeys: String, CodingKey {
        case time, actor, action, agreement, outcome, reason
        case package = "package_id"
        case requestID = "request_id"
        case remoteAddress = "remote_address"
    }

    init?(json: String) {
        guard let decoded = try? JSONDecoder().decode(Self.self, from: Data(json.utf8)) else { return nil }
        self = decoded
    }
}

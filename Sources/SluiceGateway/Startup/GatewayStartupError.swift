import Foundation

/// Why the gateway cannot start, in one line saying what to fix.
public struct GatewayStartupError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

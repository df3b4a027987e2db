/// The query parameters the API shares, read strictly: a value that is not one of the
/// documented forms is a 400, never a default.
enum QueryArgument {
    /// A true/false parameter; absent is false.
    static func flag(_ text: String?, name: String) throws(GatewayProblem) -> Bool {
        switch text {
        case nil, "false": return false
        case "true": return true
        default: throw GatewayProblem(.badRequest, "\(name) must be true or false")
        }
    }

    /// `limit` of a paged list: 1 to 1000, 100 when absent.
    static func pageLimit(_ text: String?) throws(GatewayProblem) -> Int {
        guard let text else { return 100 }
        guard let number = Int(text), (1...1000).contains(number) else {
            throw GatewayProblem(.badRequest, "limit must be a whole number from 1 to 1000")
        }
        return number
    }
}

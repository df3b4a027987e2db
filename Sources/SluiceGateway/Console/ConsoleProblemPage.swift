import Hummingbird
import NIOCore

/// A problem met under `/console/`, as a page a person reads in the browser rather than
/// the API's JSON: the same status, kind, words and request id, with the console's headers.
struct ConsoleProblemPage: Sendable {
    var problem: GatewayProblem
    var requestID: String

    var html: HTML {
        """
        <!doctype html>
        <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">\
        <title>\(problem.kind.status.code) · Sluice</title><link rel="icon" href="/console/assets/icon.svg" type="image/svg+xml"><link rel="stylesheet" href="/console/assets/console.css"></head>
        <body><main><h1>\(problem.kind.status.code) 请求未完成 · The request was not completed</h1>
        <p class="problem" data-problem="\(problem.kind.rawValue)">\(problem.kind.title)</p><p>\(problem.detail)</p>
        <p class="note">\(requestID)</p><p><a href="/console/">Sluice 审计控制台 · audit console</a></p></main></body></html>

        """
    }

    func response() -> Response {
        var headers = ConsolePage.securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: problem.kind.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html.text)))
    }
}

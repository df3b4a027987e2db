import Hummingbird
import NIOCore

/// The frame every console page shares: the head (one stylesheet, one script, both
/// served by the gateway), the navigation, the language switch and the signed-in
/// certificate; and the headers that keep the page to itself (no inline script or
/// style, no framing, nothing cached or sent on as a referrer).
struct ConsolePage: Sendable {
    enum Section: String, Sendable {
        case overview, entries, requests, integrity
    }

    var section: Section
    var language: ConsoleLanguage
    /// This page's own link, for the language switch.
    var current: ConsoleLink
    /// The officer's agency id, as registered.
    var officer: String
    var heading: String
    var body: HTML

    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy:
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        .init("X-Content-Type-Options")!: "nosniff", .init("Referrer-Policy")!: "no-referrer", .cacheControl: "no-store",
        .init("X-Frame-Options")!: "DENY",
    ]

    var html: HTML {
        let words = language.words
        let links: [(Section, String, String)] = [
            (.overview, "/console/", words.overview), (.entries, "/console/entries", words.entries), (.requests, "/console/requests", words.requests),
            (.integrity, "/console/integrity", words.integrity),
        ]
        let navigation = links.map { section, path, name -> HTML in
            let link = ConsoleLink(path, in: language)
            return section == self.section ? "<a href=\"\(link)\" aria-current=\"page\">\(name)</a>" : "<a href=\"\(link)\">\(name)</a>"
        }
        let other: ConsoleLanguage = language == .zh ? .en : .zh
        let switchLink = current.setting("lang", other == .en ? "en" : nil)
        return """
            <!doctype html>
            <html lang="\(language.htmlCode)"><head><meta charset="utf-8">\
            <meta name="viewport" content="width=device-width, initial-scale=1">\
            <title>\(heading) · \(words.title)</title>\
            <link rel="icon" href="/console/assets/icon.svg" type="image/svg+xml"><link rel="stylesheet" href="/console/assets/console.css">\
            <script src="/console/assets/console.js" defer></script></head>
            <body data-section="\(section.rawValue)"><header><strong class="brand">\(words.title)</strong>\
            <nav>\(navigation)</nav><span class="who">\(words.signedInAs): <code>\(officer)</code></span>\
            <a class="language" href="\(switchLink)" lang="\(other.htmlCode)">\(words.otherLanguage)</a></header>
            <main><h1>\(heading)</h1>
            \(body)
            </main></body></html>

            """
    }

    func response(status: HTTPResponse.Status = .ok) -> Response {
        var headers = Self.securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html.text)))
    }
}

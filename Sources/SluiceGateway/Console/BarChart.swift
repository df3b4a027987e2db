/// A bar chart drawn as inline SVG on the server: no script and no asset from anywhere.
/// Every bar is a link to the entries behind it, and carries its label and value as a
/// tooltip. Categories lie as rows (a label can be long); days stand as columns.
struct BarChart: Sendable {
    enum Layout: Sendable {
        /// One row a bar, the label on its left, the value on its right.
        case rows
        /// One column a bar, left to right, some labels below.
        case columns
    }

    struct Bar: Sendable {
        var label: String
        /// One value per series, stacked in order.
        var values: [Int]
        var link: String
    }

    var title: String
    /// The series' names, for the legend; none for a chart of one unnamed series.
    var series: [String] = []
    var bars: [Bar]
    var layout: Layout
    /// Shown instead of an empty chart.
    var emptyText: String

    static let colours = ["#2f6db5", "#d9822b", "#7a5195", "#2a9d8f"]

    var html: HTML {
        guard bars.contains(where: { $0.values.contains { $0 > 0 } }) else {
            return "<figure class=\"chart\"><figcaption>\(title)</figcaption><p class=\"empty\">\(emptyText)</p></figure>"
        }
        let legend: HTML =
            !series.isEmpty
            ? "<ul class=\"legend\">\(series.enumerated().map { index, name -> HTML in "<li><svg class=\"swatch\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\" fill=\"\(Self.colours[index % Self.colours.count])\"/></svg>\(name)</li>" })</ul>"
            : ""
        let drawing = layout == .rows ? rows : columns
        return "<figure class=\"chart\"><figcaption>\(title)</figcaption>\(legend)\(drawing)</figure>"
    }

    private var largest: Int { max(1, bars.map { $0.values.reduce(0, +) }.max() ?? 1) }

    private var rows: HTML {
        let (labelWidth, plotWidth, rowHeight) = (300.0, 320.0, 26.0)
        let height = Double(bars.count) * rowHeight + 4
        let drawn = bars.enumerated().map { index, bar -> HTML in
            let y = Double(index) * rowHeight + 2
            let total = bar.values.reduce(0, +)
            var x = labelWidth
            var rects: [HTML] = []
            for (series, value) in bar.values.enumerated() where value > 0 {
                let width = max(1, plotWidth * Double(value) / Double(largest))
                let colour = Self.colours[series % Self.colours.count]
                rects.append(
                    "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y + 3))\" width=\"\(Self.number(width))\" height=\"\(Self.number(rowHeight - 8))\" fill=\"\(colour)\"/>"
                )
                x += width
            }
            let label = Self.shortened(bar.label, to: 44)
            return """
                <a href="\(bar.link)" class="bar" data-label="\(bar.label)" data-value="\(total)"><title>\(bar.label): \(total)</title>\
                <text x="\(Self.number(labelWidth - 6))" y="\(Self.number(y + rowHeight / 2 + 4))" text-anchor="end">\(label)</text>\(rects)\
                <text x="\(Self.number(x + 6))" y="\(Self.number(y + rowHeight / 2 + 4))">\(total)</text></a>
                """
        }
        return """
            <svg class="rows" viewBox="0 0 \(Self.number(labelWidth + plotWidth + 60)) \(Self.number(height))" role="img" \
            aria-label="\(title)" xmlns="http://www.w3.org/2000/svg">\(drawn)</svg>
            """
    }

    private var columns: HTML {
        let (plotWidth, plotHeight, left, bottom) = (600.0, 160.0, 36.0, 34.0)
        let slot = plotWidth / Double(max(bars.count, 1))
        let labelEvery = max(1, Int((Double(bars.count) / 8).rounded(.up)))
        let drawn = bars.enumerated().map { index, bar -> HTML in
            let x = left + Double(index) * slot
            let total = bar.values.reduce(0, +)
            var y = plotHeight
            var rects: [HTML] = []
            for (series, value) in bar.values.enumerated() where value > 0 {
                let height = max(1, plotHeight * Double(value) / Double(largest))
                y -= height
                let colour = Self.colours[series % Self.colours.count]
                rects.append(
                    "<rect x=\"\(Self.number(x + slot * 0.1))\" y=\"\(Self.number(y))\" width=\"\(Self.number(max(1, slot * 0.8)))\" height=\"\(Self.number(height))\" fill=\"\(colour)\"/>"
                )
            }
            // An invisible full-height target, so a day with a short bar is still easy to click.
            let target: HTML =
                "<rect x=\"\(Self.number(x))\" y=\"0\" width=\"\(Self.number(slot))\" height=\"\(Self.number(plotHeight))\" fill=\"transparent\"/>"
            let label: HTML =
                index % labelEvery == 0 || index == bars.count - 1
                ? "<text x=\"\(Self.number(x + slot / 2))\" y=\"\(Self.number(plotHeight + 16))\" text-anchor=\"middle\">\(bar.label)</text>" : ""
            return """
                <a href="\(bar.link)" class="bar" data-label="\(bar.label)" data-value="\(total)"><title>\(bar.label): \(bar.values.map(String.init).joined(separator: " + "))</title>\
                \(target)\(rects)\(label)</a>
                """
        }
        let axis: HTML = """
            <line x1="\(Self.number(left))" y1="\(Self.number(plotHeight))" x2="\(Self.number(left + plotWidth))" y2="\(Self.number(plotHeight))" stroke="#888"/>\
            <text x="\(Self.number(left - 4))" y="12" text-anchor="end">\(largest)</text>\
            <text x="\(Self.number(left - 4))" y="\(Self.number(plotHeight))" text-anchor="end">0</text>
            """
        return """
            <svg class="columns" viewBox="0 0 \(Self.number(left + plotWidth + 8)) \(Self.number(plotHeight + bottom))" role="img" \
            aria-label="\(title)" xmlns="http://www.w3.org/2000/svg">\(axis)\(drawn)</svg>
            """
    }

    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func shortened(_ label: String, to length: Int) -> String {
        label.count <= length ? label : String(label.prefix(length - 1)) + "…"
    }
}

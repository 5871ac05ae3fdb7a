import Foundation

/// Colour-blind-safe palette (Okabe & Ito, 2008) without its yellow, which
/// does not show on white. Run i of a comparison gets colour i in every chart;
/// charts label their rows, so colour is never the only cue.
let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000"]

/// The colour of run `i`; runs beyond the palette are grey (their labels tell them apart).
func runColour(_ i: Int) -> String { i < palette.count ? palette[i] : "#777777" }

extension Labels {
    /// A word of the report in its language (the report's own words; ``Labels/text(_:)`` holds the terminal's).
    func word(_ en: String, _ zh: String) -> String { language == .zh ? zh : en }
}

/// Escapes text for HTML and XML (the report is well-formed XML too).
func escapeXML(_ text: String) -> String {
    var out = ""
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(character)
        }
    }
    return out
}

/// "Nice" axis ticks (steps of 1, 2 or 5 × 10ᵏ) covering [lo, hi]; at most a
/// few dozen whatever the inputs (a range that is not finite gives [lo, lo + 1]).
func niceTicks(_ lo: Double, _ hi: Double, target: Int = 5) -> [Double] {
    guard lo.isFinite, hi.isFinite, (hi - lo).isFinite else { return [0, 1] }
    guard hi > lo else { return [lo, lo + 1] }
    let raw = (hi - lo) / Double(target)
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    let first = floor(lo / step) * step, last = ceil(hi / step) * step
    let count = Int(min(((last - first) / step).rounded(), 50))
    return (0...count).map { ((first / step).rounded() + Double($0)) * step }
}

/// A value axis: its ticks, how a tick reads, and its title (with the unit).
struct ValueAxis {
    var ticks: [Double]
    var format: (Double) -> String
    var title: String

    var low: Double { ticks.first ?? 0 }
    var high: Double { ticks.last ?? 1 }

    /// Shares as percentages from 0 to 100%, or — when every value stays
    /// under 20% — from 0 to a readable top, and the title says so.
    static func share(_ title: String, values: [Double], language: Language, zoom: Bool = true) -> ValueAxis {
        let top = values.filter(\.isFinite).max() ?? 1
        if zoom, top < 0.2 {
            let ticks = niceTicks(0, max(top, 0.01))
            let percent = groupedNumber((ticks.last ?? 0.01) * 100, decimals: 0)
            let note = language == .zh ? "(刻度 0–\(percent)%, 非 0–100%)" : "(scale 0–\(percent)%, not 0–100%)"
            let decimals = (ticks.count > 1 && (ticks[1] - ticks[0]) * 100 < 1) ? 1 : 0
            return ValueAxis(ticks: ticks, format: { groupedNumber($0 * 100, decimals: decimals) + "%" }, title: "\(title) \(note)")
        }
        return ValueAxis(ticks: niceTicks(0, 1), format: { groupedNumber($0 * 100, decimals: 0) + "%" }, title: title)
    }

    /// Amounts in one money scale, named in the title.
    static func money(_ title: String, values: [Double], language: Language, fromZero: Bool = true) -> ValueAxis {
        let finite = values.filter(\.isFinite)
        let ticks = niceTicks(fromZero ? min(0, finite.min() ?? 0) : (finite.min() ?? 0), max(finite.max() ?? 1, fromZero ? 1 : -Double.infinity))
        let scale = MoneyScale(values: ticks, language: language)
        let step = ticks.count > 1 ? (ticks[1] - ticks[0]) / scale.divisor : 1
        let decimals = step >= 1 ? 0 : step >= 0.1 ? 1 : 2
        return ValueAxis(ticks: ticks, format: { groupedNumber($0 / scale.divisor, decimals: decimals) }, title: "\(title) (\(scale.unit))")
    }

    /// Plain numbers (people, rates), grouped.
    static func plain(_ title: String, values: [Double], fromZero: Bool = true) -> ValueAxis {
        let finite = values.filter(\.isFinite)
        let ticks = niceTicks(fromZero ? min(0, finite.min() ?? 0) : (finite.min() ?? 0), finite.max() ?? 1)
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        let decimals = step >= 1 ? 0 : step >= 0.1 ? 1 : 2
        return ValueAxis(ticks: ticks, format: { groupedNumber($0, decimals: decimals) }, title: title)
    }

    /// Differences: ticks around 0 covering every interval, in units of `divisor` (100 for points of a share), signed.
    static func difference(_ title: String, values: [Double], divisor: Double) -> ValueAxis {
        let finite = values.filter(\.isFinite)
        var lo = min(0, finite.min() ?? 0), hi = max(0, finite.max() ?? 0)
        if hi <= lo { lo -= divisor; hi += divisor }
        let ticks = niceTicks(lo, hi, target: 4)
        let step = ticks.count > 1 ? (ticks[1] - ticks[0]) / divisor : 1
        let decimals = step >= 1 ? 0 : step >= 0.1 ? 1 : 2
        return ValueAxis(ticks: ticks, format: { groupedNumber($0 / divisor, decimals: decimals, signed: true) }, title: title)
    }
}

/// One run's (or alternative's) band data for a fan chart.
struct FanSeries {
    var name: String
    var colour: String
    var p5: [Double], p25: [Double], p50: [Double], p75: [Double], p95: [Double]
}

/// A target drawn on a chart.
struct TargetMarker {
    var year: Int
    var value: Double
    var label: String
}

/// A value with its 95% interval.
struct Interval {
    var mean: Double, low: Double, high: Double
}

func svgOpen(_ id: String, width: Double, height: Double, title: String) -> String {
    "<svg id=\"\(id)\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escapeXML(title))\"><title>\(escapeXML(title))</title>"
}

func f1(_ x: Double) -> String { String(format: "%.1f", x) }

/// A chart with years along x and a value axis along y.
struct ChartFrame {
    var width = 620.0, height = 280.0
    var left = 70.0, right = 16.0, top = 14.0, bottom = 36.0
    /// Positions along x: years, or swept values.
    let xValues: [Double]
    let axis: ValueAxis
    /// Share of the plot width kept free at each end (room for dodged whiskers).
    var padding = 0.0
    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }

    init(years: [Int], axis: ValueAxis) {
        xValues = years.map(Double.init)
        self.axis = axis
    }

    init(xValues: [Double], axis: ValueAxis) {
        self.xValues = xValues
        self.axis = axis
    }

    func x(_ index: Int) -> Double { x(value: xValues[index]) }

    func x(value: Double) -> Double {
        guard let lo = xValues.min(), let hi = xValues.max(), hi > lo else { return left + plotWidth / 2 }
        return left + plotWidth * (padding + (1 - 2 * padding) * (value - lo) / (hi - lo))
    }

    func y(_ value: Double) -> Double {
        let clamped = min(max(value, axis.low), axis.high)
        return top + plotHeight * (1 - (clamped - axis.low) / max(axis.high - axis.low, 1e-300))
    }

    /// Grid, value ticks and the axis titles; x labels from `xLabel` (thinned so they never overlap).
    func axes(xTitle: String, xLabel: (Double) -> String, labelWidth: Double = 44) -> String {
        var svg = ""
        for tick in axis.ticks {
            let y = f1(self.y(tick))
            svg += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(width - right)\" y2=\"\(y)\" stroke=\"\(tick == 0 ? "#999" : "#ddd")\" stroke-width=\"1\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y)\" dy=\"0.32em\" text-anchor=\"end\" class=\"tick\">\(escapeXML(axis.format(tick)))</text>"
        }
        let maxLabels = max(1, Int(plotWidth / labelWidth))
        let every = max(1, Int((Double(xValues.count) / Double(maxLabels)).rounded(.up)))
        for (i, value) in xValues.enumerated() where i % every == 0 {
            let x = f1(self.x(i))
            svg += "<line x1=\"\(x)\" y1=\"\(top + plotHeight)\" x2=\"\(x)\" y2=\"\(top + plotHeight + 4)\" stroke=\"#555\"/>"
            svg += "<text x=\"\(x)\" y=\"\(top + plotHeight + 18)\" text-anchor=\"middle\" class=\"tick\">\(escapeXML(xLabel(value)))</text>"
        }
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 2)\" text-anchor=\"middle\" class=\"unit\">\(escapeXML(xTitle))</text>"
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(width - right)\" y2=\"\(top + plotHeight)\" stroke=\"#555\"/>"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotHeight)\" stroke=\"#555\"/>"
        let middle = top + plotHeight / 2
        svg += "<text x=\"12\" y=\"\(middle)\" transform=\"rotate(-90 12 \(middle))\" text-anchor=\"middle\" class=\"unit\">\(escapeXML(axis.title))</text>"
        return svg
    }

    func polygon(upper: [Double], lower: [Double], fill: String, opacity: Double) -> String {
        let forward = upper.indices.map { "\(f1(x($0))),\(f1(y(upper[$0])))" }
        let backward = lower.indices.reversed().map { "\(f1(x($0))),\(f1(y(lower[$0])))" }
        return "<polygon points=\"\((forward + backward).joined(separator: " "))\" fill=\"\(fill)\" fill-opacity=\"\(opacity)\" stroke=\"none\"/>"
    }

    func polyline(_ values: [Double], stroke: String, width: Double = 2, dash: String? = nil) -> String {
        let points = values.indices.map { "\(f1(x($0))),\(f1(y(values[$0])))" }.joined(separator: " ")
        let dashed = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        var svg = "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(width)\"\(dashed)/>"
        for i in values.indices { svg += "<circle cx=\"\(f1(x(i)))\" cy=\"\(f1(y(values[i])))\" r=\"2.5\" fill=\"\(stroke)\"/>" }
        return svg
    }
}

let dashes = ["6 3", "2 2", "8 2 2 2", "4 4"]

func legendLine(colour: String, dash: String?, text: String) -> String {
    let dashed = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
    return "<span><svg width=\"26\" height=\"10\"><line x1=\"0\" y1=\"5\" x2=\"26\" y2=\"5\" stroke=\"\(colour)\" stroke-width=\"3\"\(dashed)/></svg> \(escapeXML(text))</span>"
}

/// A fan chart: median line with p25–p75 and p5–p95 bands; several series
/// (alternatives) are overlaid with p25–p75 bands only; targets are diamonds.
func fanChart(id: String, title: String, axis: ValueAxis, years: [Int], series: [FanSeries], targets: [TargetMarker],
              observed: [TargetMarker] = [], labels: Labels) -> String {
    let frame = ChartFrame(years: years, axis: axis)
    var svg = svgOpen(id, width: frame.width, height: frame.height, title: title)
    svg += frame.axes(xTitle: labels.word("year", "年份"), xLabel: { String(Int($0)) })
    let single = series.count == 1
    for s in series {
        if single { svg += frame.polygon(upper: s.p95, lower: s.p5, fill: s.colour, opacity: 0.15) }
        svg += frame.polygon(upper: s.p75, lower: s.p25, fill: s.colour, opacity: single ? 0.3 : 0.12)
    }
    for (i, s) in series.enumerated() { svg += frame.polyline(s.p50, stroke: s.colour, dash: i == 0 ? nil : dashes[(i - 1) % dashes.count]) }
    for target in targets where years.contains(target.year) {
        let x = frame.x(value: Double(target.year)), y = frame.y(target.value)
        svg += "<path d=\"M \(f1(x)) \(f1(y - 6)) l 6 6 l -6 6 l -6 -6 z\" fill=\"#fff\" stroke=\"#000\" stroke-width=\"1.5\"><title>\(escapeXML(target.label))</title></path>"
    }
    // History points (observed values): filled circles, over the target diamonds.
    for point in observed where years.contains(point.year) {
        svg += "<circle class=\"observed\" cx=\"\(f1(frame.x(value: Double(point.year))))\" cy=\"\(f1(frame.y(point.value)))\" r=\"4\" fill=\"#c0392b\" stroke=\"#fff\" stroke-width=\"1\"><title>\(escapeXML(point.label))</title></circle>"
    }
    svg += "</svg>"
    let zh = labels.language == .zh
    var legend = "<div class=\"legend\">"
    for (i, s) in series.enumerated() {
        let text = single ? (zh ? "\(s.name) 中位数, 阴影为 p25–p75 与 p5–p95" : "\(s.name) median, bands p25–p75 and p5–p95")
            : (zh ? "\(s.name) 中位数, p25–p75" : "\(s.name) median, band p25–p75")
        legend += legendLine(colour: s.colour, dash: i == 0 ? nil : dashes[(i - 1) % dashes.count], text: text)
    }
    if !targets.isEmpty { legend += "<span>◇ \(escapeXML(labels.word("target", "目标")))</span>" }
    if !observed.isEmpty { legend += "<span><span style=\"color:#c0392b\">●</span> \(escapeXML(labels.word("observed (history)", "历史观测值")))</span>" }
    legend += "</div>"
    return "<figure><figcaption>\(escapeXML(title))</figcaption>\(svg)\(legend)</figure>"
}

/// One spending category of a bar chart.
struct BarCategory {
    var name: String
    var colour: String
    var values: [Double]
}

func categoryLegend(_ categories: [BarCategory]) -> String {
    "<div class=\"legend\">" + categories.map {
        "<span><svg width=\"12\" height=\"12\"><rect width=\"12\" height=\"12\" fill=\"\($0.colour)\"/></svg> \(escapeXML($0.name))</span>"
    }.joined() + "</div>"
}

/// Stacked bars per year (means) of one run.
func stackedBars(id: String, title: String, years: [Int], categories: [BarCategory], language: Language) -> String {
    let totals = years.indices.map { i in categories.reduce(0) { $0 + max(0, $1.values[i]) } }
    let axis = ValueAxis.money(language == .zh ? "均值" : "mean", values: totals, language: language)
    let frame = ChartFrame(years: years, axis: axis)
    var svg = svgOpen(id, width: frame.width, height: frame.height, title: title)
    let slot = frame.plotWidth / Double(max(years.count, 1))
    let barWidth = min(48, slot * 0.6)
    // Bars are centred in one slot per year; the year labels sit under them.
    var inset = frame
    inset.left += slot / 2
    inset.right += slot / 2
    svg += frame.axes(xTitle: "", xLabel: { _ in "" })
    for (i, year) in years.enumerated() {
        let cx = inset.x(i)
        var base = 0.0
        for category in categories {
            let value = max(0, category.values[i])
            let y0 = frame.y(base), y1 = frame.y(base + value)
            svg += "<rect x=\"\(f1(cx - barWidth / 2))\" y=\"\(f1(y1))\" width=\"\(f1(barWidth))\" height=\"\(f1(max(0, y0 - y1)))\" fill=\"\(category.colour)\">"
                + "<title>\(escapeXML(category.name)) \(year): \(escapeXML(MoneyScale.amount(value, language: language)))</title></rect>"
            base += value
        }
        if i % max(1, Int((Double(years.count) / (frame.plotWidth / 44)).rounded(.up))) == 0 {
            svg += "<text x=\"\(f1(cx))\" y=\"\(f1(frame.top + frame.plotHeight + 18))\" text-anchor=\"middle\" class=\"tick\">\(year)</text>"
        }
    }
    svg += "</svg>"
    return "<figure><figcaption>\(escapeXML(title))</figcaption>\(svg)\(categoryLegend(categories))</figure>"
}

/// Horizontal stacked bars, one per run, on one shared scale: spending compared across runs.
func horizontalStackedBars(id: String, title: String, rows: [String], categories: [BarCategory], language: Language) -> String {
    let totals = rows.indices.map { r in categories.reduce(0) { $0 + max(0, $1.values[r]) } }
    let axis = ValueAxis.money(language == .zh ? "均值" : "mean", values: totals, language: language)
    let left = 170.0, right = 20.0, width = 620.0, rowHeight = 26.0, top = 8.0
    let height = top + rowHeight * Double(rows.count) + 40
    let plotWidth = width - left - right
    func x(_ v: Double) -> Double { left + plotWidth * (v - axis.low) / max(axis.high - axis.low, 1e-300) }
    var svg = svgOpen(id, width: width, height: height, title: title)
    let bottom = top + rowHeight * Double(rows.count)
    for tick in axis.ticks {
        svg += "<line x1=\"\(f1(x(tick)))\" y1=\"\(top)\" x2=\"\(f1(x(tick)))\" y2=\"\(f1(bottom))\" stroke=\"#ddd\"/>"
        svg += "<text x=\"\(f1(x(tick)))\" y=\"\(f1(bottom + 16))\" text-anchor=\"middle\" class=\"tick\">\(escapeXML(axis.format(tick)))</text>"
    }
    svg += "<text x=\"\(f1(left + plotWidth / 2))\" y=\"\(f1(height - 4))\" text-anchor=\"middle\" class=\"unit\">\(escapeXML(axis.title))</text>"
    for (r, row) in rows.enumerated() {
        let y = top + rowHeight * Double(r) + 4
        svg += "<text x=\"\(f1(left - 8))\" y=\"\(f1(y + (rowHeight - 8) / 2))\" dy=\"0.32em\" text-anchor=\"end\" class=\"tick\">\(escapeXML(shortened(row, 28)))</text>"
        var start = 0.0
        for category in categories {
            let value = max(0, category.values[r])
            svg += "<rect x=\"\(f1(x(start)))\" y=\"\(f1(y))\" width=\"\(f1(max(0, x(start + value) - x(start))))\" height=\"\(f1(rowHeight - 8))\" fill=\"\(category.colour)\">"
                + "<title>\(escapeXML(row)), \(escapeXML(category.name)): \(escapeXML(MoneyScale.amount(value, language: language)))</title></rect>"
            start += value
        }
    }
    svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(f1(bottom))\" stroke=\"#555\"/></svg>"
    return "<figure><figcaption>\(escapeXML(title))</figcaption>\(svg)\(categoryLegend(categories))</figure>"
}

/// Text cut to `limit` characters with an ellipsis (chart labels; the full text is in the tables).
func shortened(_ text: String, _ limit: Int) -> String {
    text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
}

/// A forest plot: one row per run, its paired difference from the base as a
/// dot with its 95% interval, a line at 0 (no difference), the numbers at the right.
func forestPlot(id: String, title: String, rows: [(name: String, colour: String, value: Interval)], axis: ValueAxis,
                text: (Interval) -> String) -> String {
    let left = 150.0, right = 150.0, width = 620.0, rowHeight = 24.0, top = 8.0
    let bottom = top + rowHeight * Double(rows.count)
    let height = bottom + 40
    let plotWidth = width - left - right
    func x(_ v: Double) -> Double { left + plotWidth * (min(max(v, axis.low), axis.high) - axis.low) / max(axis.high - axis.low, 1e-300) }
    var svg = svgOpen(id, width: width, height: height, title: title)
    for tick in axis.ticks {
        svg += "<line x1=\"\(f1(x(tick)))\" y1=\"\(top)\" x2=\"\(f1(x(tick)))\" y2=\"\(f1(bottom))\" stroke=\"\(tick == 0 ? "#555" : "#e4e4e4")\"\(tick == 0 ? " stroke-dasharray=\"4 3\"" : "")/>"
        svg += "<text x=\"\(f1(x(tick)))\" y=\"\(f1(bottom + 16))\" text-anchor=\"middle\" class=\"tick\">\(escapeXML(axis.format(tick)))</text>"
    }
    svg += "<text x=\"\(f1(left + plotWidth / 2))\" y=\"\(f1(height - 4))\" text-anchor=\"middle\" class=\"unit\">\(escapeXML(axis.title))</text>"
    for (r, row) in rows.enumerated() {
        let y = top + rowHeight * (Double(r) + 0.5)
        svg += "<text x=\"\(f1(left - 8))\" y=\"\(f1(y))\" dy=\"0.32em\" text-anchor=\"end\" class=\"tick\">\(escapeXML(shortened(row.name, 24)))</text>"
        svg += "<line x1=\"\(f1(x(row.value.low)))\" y1=\"\(f1(y))\" x2=\"\(f1(x(row.value.high)))\" y2=\"\(f1(y))\" stroke=\"\(row.colour)\" stroke-width=\"2.5\"/>"
        for end in [row.value.low, row.value.high] {
            svg += "<line x1=\"\(f1(x(end)))\" y1=\"\(f1(y - 5))\" x2=\"\(f1(x(end)))\" y2=\"\(f1(y + 5))\" stroke=\"\(row.colour)\" stroke-width=\"1.5\"/>"
        }
        svg += "<circle cx=\"\(f1(x(row.value.mean)))\" cy=\"\(f1(y))\" r=\"4.5\" fill=\"\(row.colour)\"><title>\(escapeXML(row.name)): \(escapeXML(text(row.value)))</title></circle>"
        svg += "<text x=\"\(f1(width - right + 8))\" y=\"\(f1(y))\" dy=\"0.32em\" class=\"tick\">\(escapeXML(text(row.value)))</text>"
    }
    svg += "</svg>"
    return "<figure class=\"forest\"><figcaption>\(escapeXML(title))</figcaption>\(svg)</figure>"
}

/// Intervals along x (years or swept values): each series a line through its
/// means with a shaded 95% band, or dodged whiskers when `bands` is false.
func intervalChart(id: String, title: String, xValues: [Double], xTitle: String, xLabel: (Double) -> String,
                   series: [(name: String, colour: String, values: [Interval])], axis: ValueAxis, bands: Bool,
                   marker: (x: Double, label: String)? = nil, legendNote: String) -> String {
    var frame = ChartFrame(xValues: xValues, axis: axis)
    // Dodged whiskers need room beside the first and last year.
    if !bands { frame.padding = 0.06 }
    var svg = svgOpen(id, width: frame.width, height: frame.height, title: title)
    svg += frame.axes(xTitle: xTitle, xLabel: xLabel, labelWidth: bands ? 52 : 44)
    if let marker {
        let x = f1(frame.x(value: marker.x))
        svg += "<line x1=\"\(x)\" y1=\"\(frame.top)\" x2=\"\(x)\" y2=\"\(f1(frame.top + frame.plotHeight))\" stroke=\"#555\" stroke-dasharray=\"3 3\"/>"
        svg += "<text x=\"\(x)\" y=\"\(f1(frame.top + 10))\" dx=\"4\" class=\"tick\">\(escapeXML(marker.label))</text>"
    }
    let spacing = bands ? 0 : min(10, frame.plotWidth / Double(max(xValues.count, 1)) / Double(series.count + 1))
    for (s, line) in series.enumerated() {
        if bands {
            svg += frame.polygon(upper: line.values.map(\.high), lower: line.values.map(\.low), fill: line.colour, opacity: 0.18)
            svg += frame.polyline(line.values.map(\.mean), stroke: line.colour, dash: s == 0 ? nil : dashes[(s - 1) % dashes.count])
        } else {
            let offset = (Double(s) - Double(series.count - 1) / 2) * spacing
            for (i, value) in line.values.enumerated() {
                let x = f1(frame.x(i) + offset)
                svg += "<line x1=\"\(x)\" y1=\"\(f1(frame.y(value.low)))\" x2=\"\(x)\" y2=\"\(f1(frame.y(value.high)))\" stroke=\"\(line.colour)\" stroke-width=\"2\"/>"
                svg += "<circle cx=\"\(x)\" cy=\"\(f1(frame.y(value.mean)))\" r=\"3.5\" fill=\"\(line.colour)\"><title>\(escapeXML(line.name)) \(escapeXML(xLabel(xValues[i])))</title></circle>"
            }
        }
    }
    svg += "</svg>"
    var legend = "<div class=\"legend\">"
    for (s, line) in series.enumerated() { legend += legendLine(colour: line.colour, dash: bands && s > 0 ? dashes[(s - 1) % dashes.count] : nil, text: line.name) }
    legend += "<span class=\"note\">\(escapeXML(legendNote))</span></div>"
    return "<figure><figcaption>\(escapeXML(title))</figcaption>\(svg)\(legend)</figure>"
}

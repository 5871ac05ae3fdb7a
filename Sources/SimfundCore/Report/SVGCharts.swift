import Foundation

/// Colour-blind-safe palette (Okabe & Ito, 2008). Alternative i always gets
/// colour i, in every chart of a report.
let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000"]

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

/// "Nice" axis ticks (steps of 1, 2 or 5 × 10ᵏ) covering [lo, hi].
func niceTicks(_ lo: Double, _ hi: Double, target: Int = 5) -> [Double] {
    guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
    let raw = (hi - lo) / Double(target)
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    let first = floor(lo / step) * step, last = ceil(hi / step) * step
    return stride(from: first, through: last + step / 2, by: step).map { ($0 / step).rounded() * step }
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

/// Formats a tick or value for a chart axis of the given unit.
func axisLabel(_ x: Double, share: Bool) -> String {
    if share { return String(format: "%.0f%%", x * 100) }
    return reportNumber(x)
}

/// Numbers in reports: k (thousand), M (million), B (billion), so charts
/// read the same with or without CJK fonts (the terminal uses 万 and 亿).
func reportNumber(_ x: Double) -> String {
    let magnitude = abs(x)
    func trim(_ v: Double) -> String { String(format: "%g", (v * 100).rounded() / 100) }
    if magnitude >= 1e9 { return trim(x / 1e9) + "B" }
    if magnitude >= 1e6 { return trim(x / 1e6) + "M" }
    if magnitude >= 1e4 { return trim(x / 1e3) + "k" }
    return String(format: "%g", (x * 1000).rounded() / 1000)
}

struct ChartFrame {
    let width = 620.0, height = 280.0
    let left = 64.0, right = 16.0, top = 14.0, bottom = 36.0
    let years: [Int]
    let yTicks: [Double]
    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }
    var yLow: Double { yTicks.first ?? 0 }
    var yHigh: Double { yTicks.last ?? 1 }

    func x(_ yearIndex: Int) -> Double {
        years.count == 1 ? left + plotWidth / 2 : left + plotWidth * Double(yearIndex) / Double(years.count - 1)
    }

    func x(year: Int) -> Double { x(years.firstIndex(of: year) ?? 0) }

    func y(_ value: Double) -> Double {
        top + plotHeight * (1 - (value - yLow) / max(yHigh - yLow, 1e-12))
    }

    /// Axes, grid lines and tick labels; year labels (when `yearLabels`)
    /// thinned so they never overlap. Bar charts place their own year labels.
    func axes(unit: String, share: Bool, yearLabels: Bool = true) -> String {
        var svg = ""
        for tick in yTicks {
            let y = String(format: "%.1f", self.y(tick))
            svg += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(width - right)\" y2=\"\(y)\" stroke=\"#ddd\" stroke-width=\"1\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y)\" dy=\"0.32em\" text-anchor=\"end\" class=\"tick\">\(escapeXML(axisLabel(tick, share: share)))</text>"
        }
        if yearLabels {
            let maxLabels = Int(plotWidth / 44)
            let every = max(1, Int((Double(years.count) / Double(max(maxLabels, 1))).rounded(.up)))
            for (i, year) in years.enumerated() where i % every == 0 || i == years.count - 1 && years.count <= maxLabels {
                let x = String(format: "%.1f", self.x(i))
                svg += "<line x1=\"\(x)\" y1=\"\(top + plotHeight)\" x2=\"\(x)\" y2=\"\(top + plotHeight + 4)\" stroke=\"#555\"/>"
                svg += "<text x=\"\(x)\" y=\"\(top + plotHeight + 18)\" text-anchor=\"middle\" class=\"tick\">\(year)</text>"
            }
            svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 2)\" text-anchor=\"middle\" class=\"unit\">year</text>"
        }
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(width - right)\" y2=\"\(top + plotHeight)\" stroke=\"#555\"/>"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotHeight)\" stroke=\"#555\"/>"
        svg += "<text x=\"14\" y=\"\(top + plotHeight / 2)\" transform=\"rotate(-90 14 \(top + plotHeight / 2))\" text-anchor=\"middle\" class=\"unit\">\(escapeXML(unit))</text>"
        return svg
    }

    func polygon(upper: [Double], lower: [Double], fill: String, opacity: Double) -> String {
        let forward = upper.indices.map { String(format: "%.1f,%.1f", x($0), y(upper[$0])) }
        let backward = lower.indices.reversed().map { String(format: "%.1f,%.1f", x($0), y(lower[$0])) }
        return "<polygon points=\"\((forward + backward).joined(separator: " "))\" fill=\"\(fill)\" fill-opacity=\"\(opacity)\" stroke=\"none\"/>"
    }

    func polyline(_ values: [Double], stroke: String, width: Double = 2, dash: String? = nil) -> String {
        let points = values.indices.map { String(format: "%.1f,%.1f", x($0), y(values[$0])) }.joined(separator: " ")
        let dashed = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        var svg = "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(width)\"\(dashed)/>"
        for i in values.indices {
            svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%@\"/>", x(i), y(values[i]), stroke)
        }
        return svg
    }
}

/// A fan chart: median line with p25–p75 and p5–p95 bands; several series
/// (alternatives) are overlaid with lighter bands; targets are diamonds.
func fanChart(id: String, title: String, unit: String, share: Bool, years: [Int], series: [FanSeries], targets: [TargetMarker]) -> String {
    var lo = series.flatMap(\.p5).min() ?? 0, hi = series.flatMap(\.p95).max() ?? 1
    for target in targets { lo = min(lo, target.value); hi = max(hi, target.value) }
    if share { lo = 0; hi = 1 } else { lo = min(lo, 0) }
    if hi <= lo { hi = lo + 1 }
    let frame = ChartFrame(years: years, yTicks: niceTicks(lo, hi))
    var svg = "<svg id=\"\(id)\" class=\"chart\" viewBox=\"0 0 \(Int(frame.width)) \(Int(frame.height))\" role=\"img\" aria-label=\"\(escapeXML(title))\">"
    svg += "<title>\(escapeXML(title))</title>"
    svg += frame.axes(unit: unit, share: share)
    let single = series.count == 1
    for s in series {
        if single { svg += frame.polygon(upper: s.p95, lower: s.p5, fill: s.colour, opacity: 0.15) }
        svg += frame.polygon(upper: s.p75, lower: s.p25, fill: s.colour, opacity: single ? 0.3 : 0.12)
    }
    for (i, s) in series.enumerated() {
        svg += frame.polyline(s.p50, stroke: s.colour, dash: i == 0 || single ? nil : ["6 3", "2 2", "8 2 2 2", "4 4"][(i - 1) % 4])
    }
    for target in targets where years.contains(target.year) {
        let x = frame.x(year: target.year), y = frame.y(target.value)
        svg += String(format: "<path d=\"M %.1f %.1f l 6 6 l -6 6 l -6 -6 z\" fill=\"#fff\" stroke=\"#000\" stroke-width=\"1.5\"><title>%@</title></path>",
                      x, y - 6, escapeXML(target.label))
    }
    svg += "</svg>"
    var legend = "<div class=\"legend\">"
    for (i, s) in series.enumerated() {
        let dash = i == 0 || single ? "" : " stroke-dasharray=\"6 3\""
        legend += "<span><svg width=\"26\" height=\"10\"><line x1=\"0\" y1=\"5\" x2=\"26\" y2=\"5\" stroke=\"\(s.colour)\" stroke-width=\"3\"\(dash)/></svg> \(escapeXML(s.name))"
            + (single ? " median, bands p25–p75 and p5–p95" : " median, band p25–p75") + "</span>"
    }
    if !targets.isEmpty { legend += "<span>◇ target</span>" }
    legend += "</div>"
    return "<figure><figcaption>\(escapeXML(title))</figcaption>\(svg)\(legend)</figure>"
}

/// Stacked bars of spending by category per year (means), in yuan.
func stackedBars(id: String, title: String, years: [Int], categories: [(name: String, colour: String, values: [Double])]) -> String {
    let totals = years.indices.map { i in categories.reduce(0) { $0 + max(0, $1.values[i]) } }
    let frame = ChartFrame(years: years, yTicks: niceTicks(0, max(totals.max() ?? 1, 1)))
    var svg = "<svg id=\"\(id)\" class=\"chart\" viewBox=\"0 0 \(Int(frame.width)) \(Int(frame.height))\" role=\"img\" aria-label=\"\(escapeXML(title))\">"
    svg += "<title>\(escapeXML(title))</title>"
    // Bars are centred on their year; the frame is inset so the outer bars fit.
    let slot = frame.plotWidth / Double(max(years.count, 1))
    let barWidth = min(48, slot * 0.6)
    let inset = ChartFrameInset(frame: frame, slot: slot)
    svg += frame.axes(unit: "yuan (mean)", share: false, yearLabels: false)
    for (i, year) in years.enumerated() {
        let cx = inset.x(i)
        var base = 0.0
        for category in categories {
            let value = max(0, category.values[i])
            let y0 = frame.y(base), y1 = frame.y(base + value)
            svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%@\"><title>%@ %d: %@ yuan</title></rect>",
                          cx - barWidth / 2, y1, barWidth, max(0, y0 - y1), category.colour, escapeXML(category.name), year, escapeXML(reportNumber(value)))
            base += value
        }
        if i % max(1, Int((Double(years.count) / (frame.plotWidth / 44)).rounded(.up))) == 0 {
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"tick\">%d</text>", cx, frame.top + frame.plotHeight + 18, year)
        }
    }
    svg += "</svg>"
    let legend = "<div class=\"legend\">" + categories.map {
        "<span><svg width=\"12\" height=\"12\"><rect width=\"12\" height=\"12\" fill=\"\($0.colour)\"/></svg> \(escapeXML($0.name))</span>"
    }.joined() + "</div>"
    return "<figure><figcaption>\(escapeXML(title))</figcaption>\(svg)\(legend)</figure>"
}

/// Bar positions: one slot per year across the plot width.
struct ChartFrameInset {
    let frame: ChartFrame
    let slot: Double
    func x(_ i: Int) -> Double { frame.left + slot * (Double(i) + 0.5) }
}

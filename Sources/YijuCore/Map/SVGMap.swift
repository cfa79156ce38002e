import Foundation

/// Draws a district map as SVG on the server: no tile server is reachable from a bureau's
/// network, and an SVG prints, scales and needs no script. Compounds are dots sized by
/// floor area and coloured by management mode; barriers are lines; outlines are polygons.
public struct SVGMap: Sendable {
    public struct Outline: Sendable {
        public var label: String
        public var ring: [GeoPoint]
        public init(label: String, ring: [GeoPoint]) { self.label = label; self.ring = ring }
    }

    public struct Line: Sendable {
        public var label: String
        public var kind: BarrierKind
        public var path: [GeoPoint]
        public init(label: String, kind: BarrierKind, path: [GeoPoint]) { self.label = label; self.kind = kind; self.path = path }
    }

    public struct Dot: Sendable {
        public var label: String
        public var location: GeoPoint
        public var floorArea: Double
        public var mode: ManagementMode
        public var link: String?
        public var highlighted: Bool
        /// What the dot's colour says when it is not the management mode (e.g. `project-underWorks`),
        /// with that colour; nil draws the mode.
        public var category: (name: String, colour: String)?
        public init(label: String, location: GeoPoint, floorArea: Double, mode: ManagementMode, link: String? = nil, highlighted: Bool = false,
                    category: (name: String, colour: String)? = nil) {
            self.label = label; self.location = location; self.floorArea = floorArea; self.mode = mode; self.link = link; self.highlighted = highlighted
            self.category = category
        }
    }

    public var outlines: [Outline] = []
    public var lines: [Line] = []
    public var dots: [Dot] = []
    /// Pixel width of the drawing; height follows the area's aspect ratio.
    public var width: Double = 960
    /// Extra margin around the content, as a share of its size.
    public var padding: Double = 0.04
    /// Restrict the view to these points' bounds (a compound page zooms to its neighbourhood).
    public var focus: [GeoPoint]? = nil

    public init() {}

    public static func colour(_ mode: ManagementMode) -> String {
        switch mode {
        case .professional: "#2e7d32"
        case .governmentFallback: "#f9a825"
        case .selfManaged: "#1565c0"
        case .abandoned: "#c62828"
        }
    }

    /// A renovation project's status on the map (旧改 in progress stands out; no project is pale).
    public static func colour(_ status: ProjectStatus?) -> String {
        switch status {
        case nil: "#d5d5d5"
        case .planned: "#90a4ae"
        case .consulting: "#f9a825"
        case .approved: "#7b1fa2"
        case .underWorks: "#ef6c00"
        case .acceptance: "#00838f"
        case .completed: "#2e7d32"
        case .cancelled: "#6d4c41"
        }
    }

    public func render(title: String) -> String {
        guard let frame = MapFrame(points: focus ?? (outlines.flatMap(\.ring) + dots.map(\.location) + lines.flatMap(\.path)),
                                   width: width, padding: padding) else { return MapFrame.empty }
        func x(_ p: GeoPoint) -> String { frame.x(p) }
        func y(_ p: GeoPoint) -> String { frame.y(p) }
        func points(_ path: [GeoPoint]) -> String { frame.points(path) }
        let height = frame.height

        // Attributes are single-quoted so the markup reads cleanly inside Swift strings.
        var svg = "<svg xmlns='http://www.w3.org/2000/svg' class='district-map' viewBox='0 0 \(fmt(width)) \(fmt(height))' role='img' aria-label='\(escape(title))'>"
        svg += "<title>\(escape(title))</title>"
        svg += "<rect width='100%' height='100%' fill='#f7f5ef'/>"
        svg += "<g class='outlines'>"
        for o in outlines {
            svg += "<polygon points='\(points(o.ring))' fill='#ffffff' fill-opacity='0.6' stroke='#8d8d8d' stroke-width='1.5' stroke-dasharray='6 3'><title>\(escape(o.label))</title></polygon>"
        }
        svg += "</g><g class='barriers'>"
        for l in lines { svg += frame.barrier(l) }
        svg += "</g><g class='labels'>"
        for o in outlines where !o.ring.isEmpty {
            let c = GeoPoint(lon: o.ring.map(\.lon).reduce(0, +) / Double(o.ring.count), lat: o.ring.map(\.lat).reduce(0, +) / Double(o.ring.count))
            svg += "<text x='\(x(c))' y='\(y(c))' text-anchor='middle' font-size='\(fmt(max(11, width / 60)))' fill='#666' opacity='0.8'>\(escape(o.label))</text>"
        }
        svg += "</g><g class='compounds'>"
        // Radius grows with the square root of floor area, so a dot's area reads as size.
        let pixelsPerMetre = frame.pixelsPerMetre
        for d in dots {
            let r = max(2.5, min(14, (d.floorArea / .pi).squareRoot() * pixelsPerMetre * 1.6))
            let stroke = d.highlighted ? " stroke='#000' stroke-width='3'" : " stroke='#fff' stroke-width='0.8'"
            let (kind, fill) = d.category ?? ("mode-" + d.mode.rawValue, Self.colour(d.mode))
            let circle = "<circle class='compound \(escape(kind))' cx='\(x(d.location))' cy='\(y(d.location))' r='\(fmt(r))' fill='\(fill)'\(stroke) data-name='\(escape(d.label))'><title>\(escape(d.label))</title></circle>"
            if let link = d.link {
                svg += "<a href='\(escape(link))'>\(circle)</a>"
            } else {
                svg += circle
            }
        }
        svg += "</g></svg>"
        return svg
    }

    private func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    private func escape(_ s: String) -> String { Self.escape(s) }
}

/// The projection shared by the server's maps: equirectangular with the cosine of the mid
/// latitude (true shape at district scale), fitted to a width with some padding.
struct MapFrame {
    let scale: Double
    let height: Double
    let width: Double
    private let k: Double
    private let originLon: Double
    private let originLat: Double

    static let empty = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 40' role='img'><text x='4' y='24'>—</text></svg>"

    init?(points all: [GeoPoint], width: Double, padding: Double) {
        guard let minLon = all.map(\.lon).min(), let maxLon = all.map(\.lon).max(),
              let minLat = all.map(\.lat).min(), let maxLat = all.map(\.lat).max() else { return nil }
        k = cos((minLat + maxLat) / 2 * .pi / 180)
        let spanX = max((maxLon - minLon) * k, 0.002), spanY = max(maxLat - minLat, 0.002)
        let padX = spanX * padding, padY = spanY * padding
        scale = width / (spanX + 2 * padX)
        height = ((spanY + 2 * padY) * scale).rounded()
        self.width = width
        originLon = (minLon + maxLon) / 2 - (spanX / 2 + padX) / k
        originLat = (minLat + maxLat) / 2 + spanY / 2 + padY
    }

    func px(_ p: GeoPoint) -> (x: Double, y: Double) { ((p.lon - originLon) * k * scale, (originLat - p.lat) * scale) }
    func x(_ p: GeoPoint) -> String { fmt(px(p).x) }
    func y(_ p: GeoPoint) -> String { fmt(px(p).y) }
    func points(_ path: [GeoPoint]) -> String { path.map { "\(x($0)),\(y($0))" }.joined(separator: " ") }
    func fmt(_ v: Double) -> String { String(format: "%.1f", v) }
    /// Pixels per metre on the ground.
    var pixelsPerMetre: Double { scale / 111_132 }

    func barrier(_ l: SVGMap.Line) -> String {
        let style = switch l.kind {
        case .river: "stroke='#4fa3e0' stroke-width='7' stroke-opacity='0.8'"
        case .railway: "stroke='#555' stroke-width='3' stroke-dasharray='10 4'"
        case .arterial: "stroke='#d9a441' stroke-width='5' stroke-opacity='0.85'"
        }
        return "<polyline class='barrier barrier-\(l.kind.rawValue)' points='\(points(l.path))' fill='none' \(style) stroke-linecap='round' stroke-linejoin='round'><title>\(SVGMap.escape(l.label))</title></polyline>"
    }
}

import Foundation

/// A zoning plan drawn for the console, the public notice and the printed notice: each
/// zone as a coloured hull around its compounds with its label, each lot as a dashed
/// outline, barriers, and the compounds themselves. Zones outside their bands and
/// compounds that cannot be placed within the rules are outlined in red. Every compound
/// carries `data-compound` and `data-zone`, which the console's drag-to-move reads.
public struct ZoningMap: Sendable {
    public var problem: ZoningProblem
    public var plan: ZoningPlan
    public var report: PlanReport
    public var barriers: [SVGMap.Line] = []
    /// Compounds drawn with a dashed ring: still planned or under renovation works.
    public var underWorks: Set<String> = []
    public var lockedZones: Set<String> = []
    public var width: Double = 960

    public init(problem: ZoningProblem, plan: ZoningPlan, report: PlanReport) {
        self.problem = problem
        self.plan = plan
        self.report = report
    }

    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
                          "#3f51b5", "#009688", "#795548", "#607d8b", "#d81b60", "#00897b", "#5e35b1", "#f4511e"]

    public static func colour(zoneIndex: Int) -> String { palette[zoneIndex % palette.count] }

    public func render(title: String) -> String {
        let compounds = problem.compounds
        guard let frame = MapFrame(points: compounds.map(\.location), width: width, padding: 0.06) else { return MapFrame.empty }
        let pixel = compounds.map { frame.px($0.location) }
        let zoneIndex = Dictionary(plan.zoneIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let violating = Set(report.zones.filter { !$0.violations.isEmpty }.map(\.id))
        let stranded = Set(report.unavoidable.flatMap(\.compoundIDs))
        var members = Array(repeating: [Int](), count: plan.zoneIDs.count)
        for (v, z) in plan.zoneOf.enumerated() where z >= 0 { members[z].append(v) }
        let dotRadius = compounds.map { max(3, min(12, ($0.floorArea / .pi).squareRoot() * frame.pixelsPerMetre * 1.6)) }
        let fontSize = max(12, width / 60)
        // Barriers run past the compounds; clip them to the frame. The id only has to be
        // unique on a page that shows several maps (the comparison), so the title decides it.
        let clip = "clip-" + String(title.unicodeScalars.reduce(UInt32(2_166_136_261)) { ($0 ^ $1.value) &* 16_777_619 }, radix: 36)

        var svg = "<svg xmlns='http://www.w3.org/2000/svg' class='zoning-map' viewBox='0 0 \(frame.fmt(width)) \(frame.fmt(frame.height))' role='img' aria-label='\(SVGMap.escape(title))'>"
        svg += "<title>\(SVGMap.escape(title))</title><defs><clipPath id='\(clip)'><rect width='\(frame.fmt(width))' height='\(frame.fmt(frame.height))'/></clipPath></defs>"
        svg += "<rect width='\(frame.fmt(width))' height='\(frame.fmt(frame.height))' fill='#f7f5ef'/><g class='barriers' clip-path='url(#\(clip))'>"
        for l in barriers { svg += frame.barrier(l) }
        svg += "</g><g class='zones'>"
        for (z, id) in plan.zoneIDs.enumerated() where !members[z].isEmpty {
            let hull = Self.roundedHull(members[z].map { pixel[$0] }, margin: members[z].map { dotRadius[$0] }.max()! + 5)
            let colour = Self.colour(zoneIndex: z)
            let bad = violating.contains(id)
            let stroke = bad ? "stroke='#c62828' stroke-width='3'" : "stroke='\(colour)' stroke-width='1.5'"
            svg += "<polygon class='zone\(bad ? " violating" : "")' data-zone='\(SVGMap.escape(id))' points='\(Self.points(hull, frame))' fill='\(colour)' fill-opacity='0.22' \(stroke)><title>\(SVGMap.escape(id))</title></polygon>"
        }
        svg += "</g><g class='lots'>"
        for (l, id) in plan.lotIDs.enumerated() {
            let inLot = plan.zoneOf.indices.filter { plan.zoneOf[$0] >= 0 && plan.lotOf[plan.zoneOf[$0]] == l }
            guard !inLot.isEmpty else { continue }
            let hull = Self.roundedHull(inLot.map { pixel[$0] }, margin: inLot.map { dotRadius[$0] }.max()! + 12)
            svg += "<polygon class='lot' data-lot='\(SVGMap.escape(id))' points='\(Self.points(hull, frame))' fill='none' stroke='#37474f' stroke-width='1.8' stroke-dasharray='8 5'><title>\(SVGMap.escape(id))</title></polygon>"
            let top = hull.min { $0.y < $1.y }!
            svg += "<text class='lot-label' x='\(frame.fmt(top.x))' y='\(frame.fmt(max(fontSize, top.y - 3)))' text-anchor='middle' font-size='\(frame.fmt(fontSize * 0.9))' fill='#37474f'>\(SVGMap.escape(id))</text>"
        }
        svg += "</g><g class='compounds'>"
        for (v, c) in compounds.enumerated() {
            let z = plan.zoneOf[v]
            let zoneID = z >= 0 ? plan.zoneIDs[z] : ""
            let fill = z >= 0 ? Self.colour(zoneIndex: zoneIndex[zoneID] ?? z) : "#9e9e9e"
            var stroke = "stroke='#fff' stroke-width='1'"
            if stranded.contains(c.id) { stroke = "stroke='#c62828' stroke-width='3'" }
            else if underWorks.contains(c.id) { stroke = "stroke='#212121' stroke-width='1.5' stroke-dasharray='2 2'" }
            let label = "\(c.name) (\(c.id)) · \(zoneID) · \(Int(c.floorArea.rounded())) m²"
            svg += "<circle class='compound' data-compound='\(SVGMap.escape(c.id))' data-zone='\(SVGMap.escape(zoneID))' cx='\(frame.fmt(pixel[v].x))' cy='\(frame.fmt(pixel[v].y))' r='\(frame.fmt(dotRadius[v]))' fill='\(fill)' \(stroke)><title>\(SVGMap.escape(label))</title></circle>"
        }
        svg += "</g><g class='zone-labels' pointer-events='none'>"
        for (z, id) in plan.zoneIDs.enumerated() where !members[z].isEmpty {
            let cx = members[z].map { pixel[$0].x }.reduce(0, +) / Double(members[z].count)
            let cy = members[z].map { pixel[$0].y }.reduce(0, +) / Double(members[z].count)
            let lock = lockedZones.contains(id) ? " 🔒" : ""
            svg += "<text x='\(frame.fmt(cx))' y='\(frame.fmt(cy))' text-anchor='middle' font-size='\(frame.fmt(fontSize))' font-weight='600' fill='#212121' stroke='#fff' stroke-width='3' paint-order='stroke'>\(SVGMap.escape(id))\(lock)</text>"
        }
        svg += "</g></svg>"
        return svg
    }

    private static func points(_ hull: [(x: Double, y: Double)], _ frame: MapFrame) -> String {
        hull.map { "\(frame.fmt($0.x)),\(frame.fmt($0.y))" }.joined(separator: " ")
    }

    /// The convex hull of octagons around the points: a rounded outline that also works
    /// for a zone of one or two compounds.
    static func roundedHull(_ points: [(x: Double, y: Double)], margin: Double) -> [(x: Double, y: Double)] {
        var cloud: [(x: Double, y: Double)] = []
        for p in points {
            for i in 0..<8 {
                let a = Double(i) * .pi / 4 + .pi / 8
                cloud.append((p.x + margin * cos(a), p.y + margin * sin(a)))
            }
        }
        return convexHull(cloud)
    }

    /// Andrew's monotone chain.
    static func convexHull(_ input: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        let pts = input.sorted { $0.x == $1.x ? $0.y < $1.y : $0.x < $1.x }
        guard pts.count > 2 else { return pts }
        func cross(_ o: (x: Double, y: Double), _ a: (x: Double, y: Double), _ b: (x: Double, y: Double)) -> Double {
            (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
        }
        var lower: [(x: Double, y: Double)] = [], upper: [(x: Double, y: Double)] = []
        for p in pts {
            while lower.count >= 2, cross(lower[lower.count - 2], lower[lower.count - 1], p) <= 0 { lower.removeLast() }
            lower.append(p)
        }
        for p in pts.reversed() {
            while upper.count >= 2, cross(upper[upper.count - 2], upper[upper.count - 1], p) <= 0 { upper.removeLast() }
            upper.append(p)
        }
        return Array(lower.dropLast() + upper.dropLast())
    }
}

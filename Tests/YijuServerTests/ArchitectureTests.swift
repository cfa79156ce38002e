import Foundation
import Testing

/// Rules of the codebase's shape that a test can hold: they keep what ARCHITECTURE.md says true.
@Suite("Architecture: the one place for each decision")
struct ArchitectureTests {
    /// The repository's root, from this file's place in it.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func swiftFiles(under path: String) throws -> [(String, String)] {
        let base = root.appendingPathComponent(path)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        var files: [(String, String)] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            files.append((String(url.path.dropFirst(root.path.count + 1)), try String(contentsOf: url, encoding: .utf8)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    @Test("No role is compared in the server: every authorisation decision is Policy's (YijuCore/Access)")
    func noInlineRoleChecks() throws {
        let check = try Regex(#"\.role\s*[!=]=|[!=]=\s*\.(bureauAdmin|streetOfficer|departmentOfficer|companyStaff|gridWorker|hotlineOperator|contractorStaff)\b|switch\s+[\w.]*\.role\b|contains\([\w.]*\.role\)"#)
        let files = try Self.swiftFiles(under: "Sources/YijuServer")
        #expect(files.count > 50, "the server's sources were not found under \(Self.root.path)")
        var found: [String] = []
        for (path, text) in files {
            // A query for users of a role (`\.$role == …`) is data, not a decision.
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains(check) && !line.contains("\\.$role") {
                found.append("\(path):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(found.isEmpty, "role checks outside Policy:\n\(found.joined(separator: "\n"))")
    }

    @Test("Every console and public path is ConsolePath's or PublicPath's: no path literal in Swift, no link or form target in a template")
    func typedPaths() throws {
        let literal = try Regex(#""/(console|public|login|logout|lang)\b"#)
        var found: [String] = []
        for (path, text) in try Self.swiftFiles(under: "Sources/YijuServer") where !path.hasSuffix("Console/Shared/ConsolePath.swift") {
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.contains(literal) {
                found.append("\(path):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        // A template links and posts to what its page model gives it; only the stylesheet and scripts are files.
        let target = try Regex(#"(href|action|src|data-[a-z-]+)="/(?!css/|js/)"#)
        let views = Self.root.appendingPathComponent("Resources/Views")
        let templates = try FileManager.default.contentsOfDirectory(atPath: views.path).filter { $0.hasSuffix(".leaf") }.sorted()
        #expect(templates.count > 20, "the templates were not found under \(views.path)")
        for name in templates {
            let text = try String(contentsOf: views.appendingPathComponent(name), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.contains(target) {
                found.append("Resources/Views/\(name):\(number + 1): \(line.trimmingCharacters(in: .whitespaces).prefix(120))")
            }
        }
        #expect(found.isEmpty, "paths written out instead of taken from ConsolePath:\n\(found.joined(separator: "\n"))")
    }

    @Test("No template has an inline script or event handler: the content security policy runs only /js files")
    func noInlineScript() throws {
        let inline = try Regex(#"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:"#)
        let views = Self.root.appendingPathComponent("Resources/Views")
        let templates = try FileManager.default.contentsOfDirectory(atPath: views.path).filter { $0.hasSuffix(".leaf") }.sorted()
        #expect(templates.count > 20, "the templates were not found under \(views.path)")
        var found: [String] = []
        for name in templates {
            let text = try String(contentsOf: views.appendingPathComponent(name), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.contains(inline) {
                found.append("Resources/Views/\(name):\(number + 1): \(line.trimmingCharacters(in: .whitespaces).prefix(120))")
            }
        }
        #expect(found.isEmpty, "inline script the CSP would block:\n\(found.joined(separator: "\n"))")
    }
}

import Foundation
import Vapor

/// Serves `Public/` (the console's CSS and JS) for GET and HEAD requests for what it holds,
/// and stays out of the way of everything else. Vapor's FileMiddleware alone asks the file
/// system about every request's path — a stat on a thread pool and two thread hops for each
/// API call, which cost the busiest endpoint (case intake) a noticeable share of its time.
struct PublicFilesMiddleware: AsyncMiddleware {
    private let files: FileMiddleware
    /// `/css/`, `/js/` …: the folders `Public/` had when the server started, and its files by name.
    private let folders: [String]
    private let topFiles: Set<String>

    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory)
        var folders: [String] = [], topFiles: Set<String> = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: publicDirectory)) ?? [] where !name.hasPrefix(".") {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: publicDirectory + name, isDirectory: &isFolder) else { continue }
            if isFolder.boolValue { folders.append("/\(name)/") } else { topFiles.insert("/\(name)") }
        }
        self.folders = folders
        self.topFiles = topFiles
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path
        guard request.method == .GET || request.method == .HEAD,
              topFiles.contains(path) || folders.contains(where: { path.hasPrefix($0) }) else {
            return try await next.respond(to: request)
        }
        return try await files.respond(to: request, chainingTo: next)
    }
}

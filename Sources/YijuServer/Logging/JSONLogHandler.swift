import Foundation
import Logging
import Synchronization

/// One JSON object per line (`LOG_FORMAT=json`), for a log collector that indexes fields:
/// `time`, `level`, `label`, `message`, `source` and every metadata value (the request id
/// among them) as a field of its own. swift-log ships only the text handler and the mirror
/// has no JSON one, so this is ours: a small encoder, one write per line.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    /// Lines from all handlers go out whole, one at a time.
    private static let output = Mutex(FileHandle.standardError)

    init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { _, new in new } }
        if let explicit = event.metadata { fields.merge(explicit) { _, new in new } }
        if let error = event.error { fields["error"] = .string(String(describing: error)) }
        let line = Self.line(time: Date(), level: event.level, label: label, message: event.message.description, source: event.source, metadata: fields)
        Self.output.withLock { $0.write(Data(line.utf8)) }
    }

    static func line(time: Date, level: Logger.Level, label: String, message: String, source: String, metadata: Logger.Metadata) -> String {
        var object: [String: Any] = ["time": time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)),
                                     "level": level.rawValue, "label": label, "message": message, "source": source]
        for (key, value) in metadata where object[key] == nil { object[key] = json(value) }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(json)
        case .dictionary(let values): values.mapValues(json)
        }
    }
}

/// How the process writes its log: swift-log's text lines, or JSON lines.
public enum LogFormat: String, Sendable, Equatable {
    case text, json

    private static let installed = Mutex(false)

    /// Installs the format for the whole process. swift-log allows that once, so a second
    /// call (a command that opens the application twice) leaves the first in place.
    public func bootstrap() {
        guard self == .json, Self.installed.withLock({ installed in defer { installed = true }; return !installed }) else { return }
        LoggingSystem.bootstrap({ label, provider in JSONLogHandler(label: label, metadataProvider: provider) }, metadataProvider: nil)
    }
}

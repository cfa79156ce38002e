import ArgumentParser
import Foundation
import YijuCore
import YijuServer

struct Yiju: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yiju",
        abstract: "宜居 Yiju: registry, zoning, cases and credit for renovated old residential compounds.",
        discussion: """
        Configuration comes from the environment: DATABASE_URL (PostgreSQL 12 or later; otherwise SQLite), \
        SQLITE_PATH (default ./yiju.sqlite), HOST (127.0.0.1), PORT (8080), LOG_LEVEL (info), \
        BCRYPT_COST (12), COOKIE_SECURE (false; set true behind HTTPS), MAX_BODY_MB (10).
        """,
        subcommands: [Serve.self, Migrate.self, Demo.self, Import.self, Export.self, Users.self, Zones.self],
        defaultSubcommand: Serve.self)
}

/// A failure in the data, not in the command line: printed without the usage banner.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(description: String) { self.description = description }

    /// A file's problems, one line each (file, line or feature, field, reason), at most 50.
    init(file: String, _ error: DomainError) {
        let lines = error.fields.prefix(50).map { "  \(file): \($0.description)" }
        let more = error.fields.count > 50 ? ["  … and \(error.fields.count - 50) more"] : []
        description = "\(file): \(error.message)\n" + (lines + more).joined(separator: "\n")
    }
}

/// Turns a domain error into the command-line's error message (file, line, field, reason).
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as DomainError {
        throw CommandFailure(description: error.description)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the server (the default). Migrates the database and, on an empty one, loads the demo district.")

    @Flag(help: "Do not load the demo district into an empty database.")
    var noDemo = false

    @Option(help: "Seed of the generated demo district.")
    var seed: UInt64 = DemoDistrict.defaultSeed

    func run() async throws {
        try await reportingErrors { try await Runner.serve(loadDemo: !noDemo, seed: seed) }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database schema up to date (serve does this too).")

    func run() async throws {
        try await reportingErrors { try await Runner.withApplication { _ in } }
        print("database is up to date")
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the generated demo district into an empty database.")

    @Option(help: "Seed of the generated district; the same seed always gives the same district.")
    var seed: UInt64 = DemoDistrict.defaultSeed

    func run() async throws {
        print(try await reportingErrors { try await Runner.loadDemo(seed: seed) })
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import compounds from a CSV or GeoJSON file, all or nothing.",
        discussion: "Rows are matched on id: new ones are added, known ones updated. Any bad row fails the whole file with one line per problem.")

    @Option(name: .shortAndLong, help: "The file (.csv or .geojson/.json).")
    var file: String

    @Option(help: "The user the changes are recorded against in the audit log.")
    var user = "admin"

    func run() async throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw CommandFailure(description: "\(file): cannot read the file (\(error.localizedDescription))")
        }
        let file = self.file
        try await reportingErrors {
            try await Runner.withRegistry(as: user) { registry in
                let parsed: CompoundFile.Parsed
                do {
                    parsed = file.lowercased().hasSuffix("json")
                        ? try CompoundFile.readGeoJSON(data, currentYear: registry.currentYear)
                        : try CompoundFile.readCSV(String(decoding: data, as: UTF8.self), currentYear: registry.currentYear)
                    let outcome = try await registry.importCompounds(parsed)
                    print("\(file): \(outcome.added) added, \(outcome.updated) updated, \(outcome.unchanged) unchanged, \(outcome.skippedFeatures) non-compound features skipped")
                } catch let error as DomainError {
                    throw CommandFailure(file: file, error)
                }
            }
        }
    }
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export compounds as CSV or GeoJSON (the zoning planner's input format).")

    @Option(help: "csv or geojson.")
    var format: String = "csv"

    @Option(name: .shortAndLong, help: "Output file; standard output when omitted.")
    var output: String?

    @Option(help: "Only this street office (name or code).")
    var street: String?

    func validate() throws {
        guard ["csv", "geojson"].contains(format) else { throw ValidationError("--format must be csv or geojson, got \(format)") }
    }

    func run() async throws {
        let (format, street) = (self.format, self.street)
        let data = try await reportingErrors { try await Runner.withRegistry(as: nil) { try await $0.export(format: format, street: street) } }
        if let output {
            try data.write(to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create users, reset passwords, issue API tokens.",
        subcommands: [Create.self, ResetPassword.self, Token.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user with a role and its scope.")

        @Option var username: String
        @Option var displayName: String
        @Option(help: "bureauAdmin, streetOfficer, departmentOfficer, companyStaff, gridWorker or hotlineOperator.")
        var role: String
        @Option(help: "Street office name or code (streetOfficer, gridWorker).")
        var street: String?
        @Option(help: "Department kind, e.g. heating (departmentOfficer).")
        var department: String?
        @Option(help: "Company registration number or name (companyStaff).")
        var company: String?
        @Option(help: "The password; read from standard input when omitted.")
        var password: String?

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let password = try self.password ?? readPassword()
            let user = try await reportingErrors {
                try await Runner.withRegistry(as: nil) {
                    try await $0.createUser(username: username, displayName: displayName, role: role, password: password,
                                            street: street, department: department, company: company)
                }
            }
            print("created \(user)")
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a new password (read from standard input when --password is omitted).")
        @Option var username: String
        @Option var password: String?

        func run() async throws {
            let password = try self.password ?? readPassword()
            try await reportingErrors { try await Runner.withRegistry(as: nil) { try await $0.resetPassword(username: username, password: password) } }
            print("password reset for \(username)")
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue an API token for a user and print it (only its hash is stored).")
        @Option var username: String
        @Option(help: "A note on what the token is for.")
        var label: String?

        func run() async throws {
            let token = try await reportingErrors { try await Runner.withRegistry(as: nil) { try await $0.issueToken(username: username, label: label) } }
            print(token)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users with their roles.")

        func run() async throws {
            let lines = try await reportingErrors { try await Runner.withRegistry(as: nil) { try await $0.userLines() } }
            lines.forEach { print($0) }
        }
    }
}

func readPassword() throws -> String {
    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
        throw ValidationError("give --password or the password on standard input")
    }
    return line
}

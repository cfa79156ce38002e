import ArgumentParser
import Foundation
import YijuCore
import YijuServer

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create users, reset passwords, issue API tokens.",
        subcommands: [Create.self, ResetPassword.self, Token.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user with a role and its scope.")

        @Option var username: String
        @Option var displayName: String
        @Option(help: "bureauAdmin, streetOfficer, departmentOfficer, companyStaff, gridWorker, hotlineOperator or contractorStaff.")
        var role: String
        @Option(help: "Street office name or code (streetOfficer, gridWorker).")
        var street: String?
        @Option(help: "Department kind, e.g. heating (departmentOfficer).")
        var department: String?
        @Option(help: "Company registration number or name (companyStaff: a property company; contractorStaff: a construction, design or supervision company).")
        var company: String?
        @Option(help: "The password; read from standard input when omitted.")
        var password: String?

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let password = try self.password ?? readPassword()
            let user = try await reportingErrors {
                try await Runner.withContext(as: nil) {
                    try await $0.createUser(username: username, displayName: displayName, role: role, password: password,
                                            street: street, department: department, company: company)
                }
            }
            print("created \(user)")
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a new password (read from standard input when --password is omitted).",
            discussion: "The user's console sessions end and their API tokens are revoked: whoever held the old password is out.")
        @Option var username: String
        @Option var password: String?

        func run() async throws {
            let password = try self.password ?? readPassword()
            try await reportingErrors { try await Runner.withContext(as: nil) { try await $0.resetPassword(username: username, password: password) } }
            print("password reset for \(username); their sessions and tokens are ended")
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue an API token for a user and print it (only its hash is stored).")
        @Option var username: String
        @Option(help: "A note on what the token is for.")
        var label: String?

        func run() async throws {
            let token = try await reportingErrors { try await Runner.withContext(as: nil) { try await $0.issueToken(username: username, label: label) } }
            print(token)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users with their roles.")

        func run() async throws {
            let lines = try await reportingErrors { try await Runner.withContext(as: nil) { try await $0.userLines() } }
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

import Fluent
import SQLKit

struct CreateUser: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .id()
            .field(.username, .string, .required)
            .field(.displayName, .string, .required)
            .field(.passwordHash, .string, .required)
            .field(.role, .string, .required)
            .field(.streetOfficeID, .uuid, .references(StreetOffice.schema, .id))
            .field(.departmentID, .uuid, .references(Department.schema, .id))
            .field(.companyID, .uuid, .references(Company.schema, .id))
            .field(.createdAt, .datetime)
            .field(.updatedAt, .datetime)
            .unique(on: .username)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).delete()
    }
}

struct CreateUserToken: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserToken.schema)
            .id()
            .field(.userID, .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field(.tokenHash, .string, .required)
            .field(.label, .string)
            .field(.createdAt, .datetime)
            .field(.expiresAt, .datetime)
            .unique(on: .tokenHash)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserToken.schema).delete()
    }
}

struct CreateLoginAttempt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginAttempt.schema)
            .id()
            .field(.username, .string, .required)
            .field(.succeeded, .bool, .required)
            .field(.at, .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "login_attempts_username_at_idx").on(LoginAttempt.schema).column("username").column("at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LoginAttempt.schema).delete()
    }
}

/// The audit log, with database triggers that refuse UPDATE and DELETE: append-only is
/// enforced below the application, so no code path (or future bug) can rewrite history.
struct CreateAuditEntry: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEntry.schema)
            .id()
            .field(.at, .datetime, .required)
            .field(.actorID, .uuid)
            .field(.actorName, .string, .required)
            .field(.action, .string, .required)
            .field(.entityType, .string, .required)
            .field(.entityID, .uuid)
            .field(.before, .string)
            .field(.after, .string)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "audit_entries_at_idx").on(AuditEntry.schema).column("at").run()
        try await sql.create(index: "audit_entries_entity_idx").on(AuditEntry.schema).column("entity_type").column("entity_id").run()
        try await AppendOnly.enforce(on: AuditEntry.schema, sql)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEntry.schema).delete()
    }
}

/// Database triggers that refuse UPDATE and DELETE on a table (the same statements on every
/// table, named after it).
enum AppendOnly {
    static func enforce(on table: String, _ sql: any SQLDatabase) async throws {
        switch sql.dialect.name {
        case "postgresql":
            try await sql.raw(SQLQueryString("""
                CREATE OR REPLACE FUNCTION \(unsafeRaw: table)_append_only() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION '\(unsafeRaw: table) is append-only'; END; $$ LANGUAGE plpgsql
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER \(unsafeRaw: table)_append_only BEFORE UPDATE OR DELETE ON \(unsafeRaw: table)
                FOR EACH ROW EXECUTE FUNCTION \(unsafeRaw: table)_append_only()
                """)).run()
        default:
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER \(unsafeRaw: table)_no_update BEFORE UPDATE ON \(unsafeRaw: table)
                BEGIN SELECT RAISE(ABORT, '\(unsafeRaw: table) is append-only'); END
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER \(unsafeRaw: table)_no_delete BEFORE DELETE ON \(unsafeRaw: table)
                BEGIN SELECT RAISE(ABORT, '\(unsafeRaw: table) is append-only'); END
                """)).run()
        }
    }
}

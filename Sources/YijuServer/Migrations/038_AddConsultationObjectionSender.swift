import Fluent

/// Objections residents file themselves during a renovation plan's notice: the phone to call
/// them back on (their hourly limit counts in public_submissions).
struct AddConsultationObjectionSender: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ConsultationRecord.schema).field(.phone, .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ConsultationRecord.schema).deleteField(.phone).update()
    }
}

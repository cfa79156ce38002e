import Fluent
import Foundation
import OpenAPIRuntime
import Vapor
import YijuCore

/// Renovation as the public sees it through the API, without a token.
extension YijuAPI {
    private func publicRenovation() -> PublicRenovation {
        PublicRenovation(db: app.db, now: app.clock.now())
    }

    func listPublicRenovationProjects(_ input: Operations.listPublicRenovationProjects.Input) async throws -> Operations.listPublicRenovationProjects.Output {
        .ok(.init(body: .json(try await publicRenovation().projects().map(Components.Schemas.RenovationProjectSummary.init))))
    }

    func getPublicRenovationProject(_ input: Operations.getPublicRenovationProject.Input) async throws -> Operations.getPublicRenovationProject.Output {
        let p = try await publicRenovation().project(try pathID(input.path.id, "renovation project"))
        let documents: Components.Schemas.PublicRenovationProject.documentsPayload = try p.documents.map {
            .init(id: try $0.requireID().uuidString, kind: .init(rawValue: $0.kind.rawValue)!, title: $0.title,
                  contentType: .init(rawValue: $0.contentType)!, size: $0.size, publishedAt: $0.createdAt ?? Date())
        }
        return .ok(.init(body: .json(.init(
            project: try .init(p.project), objectionsOpen: p.noticeRunning, cancelReason: p.project.cancelReason,
            funding: p.project.funding.map { .init(source: .init(rawValue: $0.source.rawValue)!, fen: $0.fen, note: $0.note) },
            compounds: p.compounds.map { .init(code: $0.code, name: $0.name, households: $0.households) },
            scope: p.scope.map { .init($0, catalogue: p.catalogue) },
            opinions: ConsultationRound.allCases.map { .init(round: $0.rawValue, count: p.opinions[$0] ?? 0) },
            visits: p.visits, meetings: p.meetings,
            contractors: p.contractors.map { .init(role: .init(rawValue: $0.role.rawValue)!, company: $0.company.name) },
            publications: p.publications.map { .init(day: $0.day, kind: .init(rawValue: $0.kind.rawValue)!, round: $0.round, text: $0.body) },
            noticeLastDay: p.noticeLastDay,
            acceptance: p.acceptance.map { .init(number: $0.number, closedOn: $0.closedOn ?? "", passed: $0.passed, explanation: $0.explanation) },
            documents: documents))))
    }

    func fileRenovationObjection(_ input: Operations.fileRenovationObjection.Input) async throws -> Operations.fileRenovationObjection.Output {
        guard case .json(let b) = input.body else { throw DomainError.unsupportedMediaType }
        let row = try await PublicRenovation(db: app.db, now: app.clock.now())
            .object(try pathID(input.path.id, "renovation project"), name: b.name, phone: b.phone, compoundCode: b.compoundId, body: b.body,
                    source: RequestSource.address ?? "unknown")
        return .created(.init(body: .json(.init(id: try row.requireID().uuidString,
                                                message: "received; the street office will answer it before the project is approved"))))
    }
}

import Fluent
import Foundation
import Vapor
import YijuCore

/// A project's site diary in the console: the page, the builder's day form, a photo per post
/// straight from the phone's camera, and the photos themselves.
struct ConsoleDiaryController: RenovationRoutes {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ConsolePath.renovationProject(.key, .diary).routeComponents, use: show)
        routes.post(ConsolePath.renovationProject(.key, .diary).routeComponents, use: save)
        // One 5 MB photo a post, with room for the form's encoding.
        routes.on(.POST, ConsolePath.diaryDayPhotos(.key, day: .key).routeComponents, body: .collect(maxSize: "6mb"), use: addPhoto)
        routes.get(ConsolePath.diaryPhoto(.key, photo: .key).routeComponents, use: photo)
    }

    func show(req: Request) async throws -> View {
        try await render(req, form: nil, errors: [])
    }

    private func render(_ req: Request, form: [String: String]?, errors: [FieldError]) async throws -> View {
        let service = try service(req)
        let t = req.language.strings
        let diary = try await service.diary(try idParameter(req))
        var content = try DiaryPage(diary, mayWrite: service.mayWriteToday(diary), today: service.today, form: form, errors: errors, t)
        content.site = try await siteInspections(req, diary, t)
        return try await req.renderPage("renovation-diary", title: "\(diary.file.project.code) · \(t["siteDiary"]!)",
                                        nav: .renovationProjects, content: content)
    }

    /// The site's inspections, for those who read inspections, and the link that starts one
    /// with the 文明施工 checklist, for those who may inspect this site now.
    private func siteInspections(_ req: Request, _ diary: RenovationService.Diary, _ t: [String: String]) async throws -> DiaryPage.SiteInspections? {
        let actor = try req.consoleUser.actor
        guard Policy.inspectionScope(actor) != .nothing else { return nil }
        let project = diary.file.project
        let inspections = InspectionService(db: req.db, actor: actor, now: req.application.clock.now())
        let rows = try await inspections.list(.init(projectID: try project.requireID())).map { try InspectionRow($0, t) }
        var link: String?
        if let builder = diary.file.builder, SiteInspections.open.contains(project.status), Policy.mayInspect(actor),
           Policy.allows(actor, .create, .inspection(streetOfficeID: project.$streetOffice.id, companyID: builder.$company.id)),
           let template = try await InspectionTemplate.query(on: req.db).filter(\.$category == .construction).filter(\.$active == true).sort(\.$code).first() {
            link = ConsolePath.newInspection.with(["template": try template.requireID().uuidString, "project": try project.requireID().uuidString])
        }
        return DiaryPage.SiteInspections(rows: rows, inspectLink: link)
    }

    func save(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        let id = try idParameter(req)
        return try await saving(req, back: ConsolePath.renovationProject(.value(id), .diary).path, render: { req, errors in
            try await render(req, form: form, errors: errors)
        }) {
            _ = try await service(req).saveDiaryDay(id, try DiaryPage.entry(form))
        }
    }

    func addPhoto(req: Request) async throws -> Response {
        struct Upload: Content { var photo: File? }
        let id = try idParameter(req)
        guard let day = req.parameters.get("day") else { throw DomainError.notFound("diary day") }
        return try await saving(req, back: ConsolePath.renovationProject(.value(id), .diary).path + "#day-" + day, render: { req, errors in
            try await render(req, form: nil, errors: errors)
        }) {
            guard let file = try req.content.decode(Upload.self).photo, file.data.readableBytes > 0 else {
                throw DomainError.validation([FieldError(field: "photo", reason: "choose a photo")])
            }
            let data = Data(buffer: file.data)
            _ = try await service(req).addDiaryPhoto(id, day: day, declaredType: CasePhotos.sniff(data) ?? "image/jpeg", data: data)
        }
    }

    func photo(req: Request) async throws -> Response {
        guard let photoID = req.parameters.get("photo", as: UUID.self) else { throw DomainError.notFound("photo") }
        let photo = try await service(req).diaryPhoto(try idParameter(req), photoID)
        return photoResponse(photo.data, type: photo.contentType)
    }
}

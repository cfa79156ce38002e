import Fluent
import Foundation
import Vapor
import YijuCore

/// `yiju export`: the registry as CSV or GeoJSON (the zoning planner's input).
extension CommandContext {
    public func export(format: String, street: String?) async throws -> Data {
        var streetID: UUID?
        if let street {
            guard let office = try await StreetOffice.query(on: app.db).group(.or, { $0.filter(\.$name == street).filter(\.$code == street.uppercased()) }).first() else {
                throw DomainError.notFound("street office \(street)")
            }
            streetID = office.id
        }
        let export = try await RegistryExport(service: service).make(streetOfficeID: streetID)
        return format == "geojson" ? CompoundFile.geoJSON(export.records, barriers: export.barriers) : Data(CompoundFile.csv(export.records).utf8)
    }
}

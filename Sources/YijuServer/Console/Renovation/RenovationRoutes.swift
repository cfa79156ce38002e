import Vapor

/// A console controller of renovation: its pages act through the renovation service as the
/// logged-in user, at the application clock's time.
protocol RenovationRoutes: RouteCollection {}

extension RenovationRoutes {
    func service(_ req: Request) throws -> RenovationService {
        RenovationService(db: req.db, actor: try req.consoleUser.actor, now: req.application.clock.now())
    }
}

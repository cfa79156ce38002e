import Fluent
import Vapor

extension Application {
    /// Every migration in the order it landed. Append; never edit or reorder a landed one.
    /// Each is one file in this folder, numbered in this order (001_CreateStreetOffice.swift …);
    /// a migration's name is its type's, so moving its file never renames it. 012 is Vapor's
    /// own sessions table and has no file of ours.
    func registerMigrations() {
        migrations.add(CreateStreetOffice())
        migrations.add(CreateCommunity())
        migrations.add(CreateCompany())
        migrations.add(CreateContract())
        migrations.add(CreateCompound())
        migrations.add(CreateBarrier())
        migrations.add(CreateDepartment())
        migrations.add(CreateUser())
        migrations.add(CreateUserToken())
        migrations.add(CreateLoginAttempt())
        migrations.add(CreateAuditEntry())
        migrations.add(SessionRecord.migration)
        migrations.add(CreateZoningPlan())
        migrations.add(CreateZoningWorkflow())
        migrations.add(CreateCases())
        migrations.add(CreatePublicSubmissions())
        migrations.add(IndexCaseLedger())
        migrations.add(CreateCaseFigureRollUp())
        migrations.add(CreateReferenceVersion())
        migrations.add(CreateCredit())
        migrations.add(CreateSelection())
        migrations.add(CreateInspections())
        migrations.add(CreateExits())
        migrations.add(CreateDailyTasks())
        migrations.add(CreateAccessVersion())
        migrations.add(RollUpCaseFiguresPerStatement())
        migrations.add(CreateRenovation())
        migrations.add(CreateRenovationConsultation())
        migrations.add(CreateRenovationAcceptance())
        migrations.add(CreateSurveyCodes())
        migrations.add(CreateEngagements())
        migrations.add(CreateSiteDiary())
        migrations.add(CreateSiteInspections())
        migrations.add(RouteCasesDuringWorks())
        migrations.add(CreateTenderAwaitedProjects())
        migrations.add(CreateRenovationDocuments())
        migrations.add(CreateCompoundGovernance())
        migrations.add(AddConsultationObjectionSender())
        migrations.add(CreateRenovationGrids())
        migrations.add(AddLoginAttemptAddress())
        migrations.add(IndexLedgerWalk())
        migrations.add(CreateTokenUses())
    }
}

import Fluent
import Vapor

extension Application {
    /// Every migration in the order it landed. Append; never edit or reorder a landed one.
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
    }
}

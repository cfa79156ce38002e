import Foundation

/// The steps that move a project between statuses, as an official picks them; the rounds'
/// collect and publish are the consultation's own records.
public enum ProjectTransition: String, CaseIterable, Sendable, Codable {
    case startConsultation, approve, startWorks, requestAcceptance, reopenWorks, complete, cancel

    /// The machine's action; a cancellation carries its reason.
    public func action(reason: String?) -> ProjectAction {
        switch self {
        case .startConsultation: .startConsultation
        case .approve: .approve
        case .startWorks: .startWorks
        case .requestAcceptance: .requestAcceptance
        case .reopenWorks: .reopenWorks
        case .complete: .complete
        case .cancel: .cancel(reason: reason ?? "")
        }
    }
}

/// A step the project's status allows, and what still stands in its way, if anything.
public struct TransitionOption: Sendable, Equatable {
    public var transition: ProjectTransition
    /// Nil when the step can be taken now; otherwise the rule's message (the rounds missing …).
    public var blockedBy: String?
}

extension ProjectMachine {
    /// The steps a project's status allows, each with what blocks it: the console shows the
    /// blocked ones with their reason, so an officer sees what is left to do before approval.
    public static func options(for snapshot: ProjectSnapshot) -> [TransitionOption] {
        ProjectTransition.allCases.compactMap { transition in
            do throws(DomainError) {
                _ = try apply(transition.action(reason: "—"), to: snapshot)
                return TransitionOption(transition: transition, blockedBy: nil)
            } catch {
                return error.code == "invalid_transition" ? nil : TransitionOption(transition: transition, blockedBy: error.message)
            }
        }
    }
}

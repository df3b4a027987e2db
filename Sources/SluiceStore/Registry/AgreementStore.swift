import Foundation
import SluiceCore

/// Agreement versions and state changes, seen from inside one transaction. Both only
/// grow; an agreement's current terms are its newest version, its status the newest
/// state change.
public protocol AgreementStore {
    func insert(_ version: AgreementVersion) throws
    func insert(_ change: AgreementStateChange) throws
    func latestVersion(of id: String) throws -> AgreementVersion?
    func version(_ number: Int, of id: String) throws -> AgreementVersion?
    func versions(of id: String) throws -> [AgreementVersion]
    /// The newest version of every agreement, by id.
    func latestVersions() throws -> [AgreementVersion]
    func status(of id: String) throws -> AgreementStatus?
    /// The current status of every agreement that has one.
    func statuses() throws -> [String: AgreementStatus]
    func stateChanges(of id: String) throws -> [AgreementStateChange]
    func isEmpty() throws -> Bool
}

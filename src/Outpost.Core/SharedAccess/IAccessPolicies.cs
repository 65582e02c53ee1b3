namespace Outpost.Core.SharedAccess;

/// <summary>
/// Reads the shared access policies of a hub or DPS instance, for data planes that check SAS tokens. The management
/// feature stores them encrypted and fills this seam; data planes only read.
/// </summary>
public interface IAccessPolicies
{
    Task<IReadOnlyList<AccessRule>> GetAsync(string ownerId, CancellationToken cancellationToken = default);
}

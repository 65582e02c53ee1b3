namespace Outpost.Core.Authorization;

/// <summary>
/// Azure RBAC for data planes: may <paramref name="principalId"/> perform <paramref name="dataAction"/> on
/// <paramref name="scope"/>? The management feature, which owns role assignments, fills this seam.
/// </summary>
public interface IDataPlaneAuthorizer
{
    Task<bool> AllowsDataActionAsync(string principalId, string scope, string dataAction, CancellationToken cancellationToken = default);
}

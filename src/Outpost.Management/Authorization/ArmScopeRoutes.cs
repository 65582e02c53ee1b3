namespace Outpost.Management.Authorization;

/// <summary>
/// The scopes an extension resource such as a role assignment can sit at, as route prefixes: the subscription, a
/// resource group, and a resource up to two levels of children deep (a hub, a namespace's credential, a policy).
/// </summary>
internal static class ArmScopeRoutes
{
    public static readonly IReadOnlyList<string> Prefixes =
    [
        "/subscriptions/{subscriptionId}",
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}",
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/{scopeProvider}/{scopeType}/{scopeName}",
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/{scopeProvider}/{scopeType}/{scopeName}/{childType}/{childName}",
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/{scopeProvider}/{scopeType}/{scopeName}/{childType}/{childName}/{grandchildType}/{grandchildName}",
    ];

    /// <summary>The scope a request names: its path up to <c>/providers/Microsoft.Authorization/</c>.</summary>
    public static string ScopeOf(HttpRequest request)
    {
        var path = request.Path.Value ?? string.Empty;
        var marker = path.LastIndexOf("/providers/Microsoft.Authorization/", StringComparison.OrdinalIgnoreCase);
        return marker < 0 ? path : path[..marker];
    }
}

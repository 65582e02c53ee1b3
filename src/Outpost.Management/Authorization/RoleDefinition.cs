namespace Outpost.Management.Authorization;

/// <summary>An Azure role: what it allows on the management plane (actions) and on data planes (data actions).</summary>
internal sealed record RoleDefinition(
    string Id,
    string RoleName,
    string Description,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> NotActions,
    IReadOnlyList<string> DataActions,
    IReadOnlyList<string> NotDataActions)
{
    public bool Allows(string action) => Matches(Actions, action) && !Matches(NotActions, action);

    public bool AllowsData(string dataAction) => Matches(DataActions, dataAction) && !Matches(NotDataActions, dataAction);

    /// <summary>Azure's permission patterns: case-insensitive, <c>*</c> matches any run of characters.</summary>
    private static bool Matches(IReadOnlyList<string> patterns, string action) =>
        patterns.Any(pattern => System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(pattern, action, ignoreCase: true));
}

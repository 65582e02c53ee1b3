using Outpost.Client;

namespace Outpost.Portal.Components.Common;

/// <summary>The Basics tab every create flow starts with: where the resource goes and what it is called.</summary>
public sealed class BasicsModel
{
    public string SubscriptionId { get; set; } = string.Empty;

    public string Group { get; set; } = string.Empty;

    /// <summary>The user chose "Create new": the group is made just before the resource.</summary>
    public bool NewGroup { get; set; }

    public string Name { get; set; } = string.Empty;

    public string Region { get; set; } = string.Empty;

    /// <summary>Creates the resource group when the user asked for a new one (an existing group is left as it is).</summary>
    public async Task EnsureGroupAsync(OutpostApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        if (NewGroup)
        {
            await api.ArmAsync(HttpMethod.Put, ArmPaths.Group(SubscriptionId, Group), ApiVersions.Resources, new { location = Region }, CancellationToken.None);
            NewGroup = false;
        }
    }
}

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

    /// <summary>
    /// PUTs the resource (following its long-running operation). A resource group the user chose to create is made first
    /// and, when the resource is refused, deleted again, so that a refusal leaves nothing behind.
    /// </summary>
    public async Task CreateAsync(OutpostApi api, string resourceId, string apiVersion, object body)
    {
        ArgumentNullException.ThrowIfNull(api);
        if (!NewGroup)
        {
            await api.ArmAsync(HttpMethod.Put, resourceId, apiVersion, body, CancellationToken.None);
            return;
        }

        var group = ArmPaths.Group(SubscriptionId, Group);
        await api.ArmAsync(HttpMethod.Put, group, ApiVersions.Resources, new { location = Region }, CancellationToken.None);
        try
        {
            await api.ArmAsync(HttpMethod.Put, resourceId, apiVersion, body, CancellationToken.None);
        }
        catch (OutpostApiException refused)
        {
            try
            {
                await api.ArmAsync(HttpMethod.Delete, group, ApiVersions.Resources, null, CancellationToken.None);
            }
            catch (OutpostApiException cleanup)
            {
                throw new OutpostApiException(refused.Status, refused.Code,
                    $"{refused.Message} The resource group '{Group}' made for it could not be removed again ({cleanup.Code}: {cleanup.Message}); delete it if it is not wanted.");
            }

            throw;
        }

        NewGroup = false;
    }
}

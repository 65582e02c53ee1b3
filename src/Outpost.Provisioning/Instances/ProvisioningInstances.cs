using System.Text.Json.Nodes;
using Outpost.Core.Storage;

namespace Outpost.Provisioning.Instances;

/// <summary>Finds the DPS instance a request is for: by the host name it was sent to, or by ID scope.</summary>
internal sealed class ProvisioningInstances(IOutpostStore store)
{
    public async Task<ProvisioningInstance?> ByHostNameAsync(string hostName, CancellationToken cancellationToken) =>
        await LoadAsync(await GlobalNameIds.OwnerAsync(store, GlobalNameIds.HostNames, hostName, cancellationToken), cancellationToken);

    public async Task<ProvisioningInstance?> ByIdScopeAsync(string idScope, CancellationToken cancellationToken) =>
        await LoadAsync(await GlobalNameIds.OwnerAsync(store, GlobalNameIds.IdScopes, idScope, cancellationToken), cancellationToken);

    private async Task<ProvisioningInstance?> LoadAsync(string? id, CancellationToken cancellationToken)
    {
        if (id is null || await store.GetResourceAsync(id, cancellationToken) is not { } resource
            || !resource.Type.Equals("Microsoft.Devices/provisioningServices", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var body = JsonNode.Parse(resource.Body)!.AsObject();
        return new ProvisioningInstance(resource.Id, body["name"]!.GetValue<string>(), body["properties"]!["idScope"]!.GetValue<string>(), body);
    }
}

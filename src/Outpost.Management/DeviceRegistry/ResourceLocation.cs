using System.Text.Json.Nodes;
using Outpost.Core.Storage;

namespace Outpost.Management.DeviceRegistry;

/// <summary>Where a resource sits: its id, its name, its subscription, resource group and parent, for the store.</summary>
internal sealed record ResourceLocation(string Id, string Name, string SubscriptionId, string ResourceGroup, string? ParentId)
{
    public StoredResource Resource(string type, JsonObject body, long version = 0) =>
        new(Id, type, SubscriptionId, ResourceGroup, ParentId, body.ToJsonString(), version);
}

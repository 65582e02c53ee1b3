using System.Text.Json.Nodes;

namespace Outpost.Provisioning.Instances;

/// <summary>A DPS instance as its data planes see it: its resource id, name, ID scope and ARM JSON.</summary>
internal sealed record ProvisioningInstance(string Id, string Name, string IdScope, JsonObject Body)
{
    public string SubscriptionId => Id.Split('/')[2];

    public string ResourceGroup => Id.Split('/')[4];

    public string ServiceHostName => Body["properties"]?["serviceOperationsHostName"]?.GetValue<string>() ?? string.Empty;

    /// <summary>Host names of the hubs linked to the instance (<c>properties.iotHubs[].name</c>).</summary>
    public IReadOnlyList<string> LinkedHubHostNames =>
        [.. (Body["properties"]?["iotHubs"] as JsonArray ?? []).Select(link => link?["name"]?.GetValue<string>()).OfType<string>()];

    /// <summary>The Device Registry namespace the instance issues certificates from, if linked.</summary>
    public string? NamespaceId => Body["properties"]?["deviceRegistryNamespace"]?["resourceId"]?.GetValue<string>();
}

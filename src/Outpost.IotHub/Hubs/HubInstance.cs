using System.Text.Json.Nodes;
using Outpost.Core.Hubs;

namespace Outpost.IotHub.Hubs;

/// <summary>An IoT hub as its data planes see it: its resource id, host name and the settings devices and services meet.</summary>
internal sealed record HubInstance(string Id, string Name, string HostName, JsonObject Body)
{
    public string SubscriptionId => Id.Split('/')[2];

    public string ResourceGroup => Id.Split('/')[4];

    private JsonNode? Properties => Body["properties"];

    public int PartitionCount => Properties?["eventHubEndpoints"]?["events"]?["partitionCount"]?.GetValue<int>() ?? 4;

    public int RetentionDays => Properties?["eventHubEndpoints"]?["events"]?["retentionTimeInDays"]?.GetValue<int>() ?? 1;

    public string MinTlsVersion => Properties?["minTlsVersion"]?.GetValue<string>() ?? "1.2";

    /// <summary>Shared access policies may not sign anything: only bearer tokens and certificates work.</summary>
    public bool DisableLocalAuth => Properties?["disableLocalAuth"]?.GetValue<bool>() ?? false;

    /// <summary>Devices may not connect with SAS tokens, only certificates.</summary>
    public bool DisableDeviceSas => DisableLocalAuth || (Properties?["disableDeviceSAS"]?.GetValue<bool>() ?? false);

    public IotHubSku Sku => IotHubSku.Find(Body["sku"]?["name"]?.GetValue<string>());

    public int Units => Body["sku"]?["capacity"]?.GetValue<int>() ?? 1;

    /// <summary>The tier's daily message quota times the hub's units.</summary>
    public long DailyMessageQuota => Sku.DailyMessagesPerUnit * Units;

    /// <summary>The Device Registry namespace the hub is linked to, whose policies' certificates its devices may present.</summary>
    public string? NamespaceId => Properties?["deviceRegistry"]?["namespaceResourceId"]?.GetValue<string>();

    public string DeviceId(string deviceId) => $"{Id}/devices/{deviceId.ToLowerInvariant()}";
}

using System.Text.Json.Nodes;
using Outpost.Core.Storage;

namespace Outpost.IotHub.Devices;

/// <summary>
/// A device of a hub's identity registry as stored: the <c>Microsoft.Devices/IotHubs/devices</c> resource whose body
/// holds the device JSON and, under <c>twin</c>, its twin. <see cref="Version"/> guards concurrent writes.
/// </summary>
internal sealed record DeviceRecord(string ResourceId, JsonObject Body, long Version)
{
    public const string Type = "Microsoft.Devices/IotHubs/devices";

    public string DeviceId => Body["deviceId"]!.GetValue<string>();

    public bool Enabled => !string.Equals(Body["status"]?.GetValue<string>(), "disabled", StringComparison.OrdinalIgnoreCase);

    public string AuthenticationType => Body["authentication"]?["type"]?.GetValue<string>() ?? "sas";

    public IEnumerable<string> SymmetricKeys =>
        new[] { Body["authentication"]?["symmetricKey"]?["primaryKey"], Body["authentication"]?["symmetricKey"]?["secondaryKey"] }
            .Select(key => key?.GetValue<string>()).OfType<string>().Where(key => key.Length > 0);

    public IEnumerable<string> Thumbprints =>
        new[] { Body["authentication"]?["x509Thumbprint"]?["primaryThumbprint"], Body["authentication"]?["x509Thumbprint"]?["secondaryThumbprint"] }
            .Select(print => print?.GetValue<string>()).OfType<string>().Where(print => print.Length > 0);

    public static DeviceRecord From(StoredResource resource) => new(resource.Id, JsonNode.Parse(resource.Body)!.AsObject(), resource.Version);

    public StoredResource ToResource(string hubId)
    {
        var segments = hubId.Split('/');
        return new StoredResource(ResourceId, Type, segments[2], segments[4], hubId, Body.ToJsonString());
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Outpost.IotHub.ServiceApi;

namespace Outpost.IotHub.Devices;

/// <summary>
/// The device JSON of the registry API: what a create or replace may set (status, authentication, capabilities), the
/// keys IoT Hub generates when a SAS device is sent without them, and what a read returns.
/// </summary>
internal static class DeviceDocument
{
    /// <summary>The stored body for <paramref name="request"/>, keeping what only the hub sets (generation, twin) from <paramref name="existing"/>.</summary>
    public static JsonObject Build(string deviceId, JsonObject request, JsonObject? existing, DateTimeOffset now)
    {
        if (request["deviceId"]?.GetValue<string>() is { } named && !string.Equals(named, deviceId, StringComparison.Ordinal))
        {
            throw new HubException(HubError.ArgumentInvalid, $"The body's deviceId '{named}' differs from the device id '{deviceId}' in the path.");
        }

        var status = request["status"]?.GetValue<string>() ?? existing?["status"]?.GetValue<string>() ?? "enabled";
        if (status is not ("enabled" or "disabled"))
        {
            throw new HubException(HubError.ArgumentInvalid, $"status '{status}' is not valid; use 'enabled' or 'disabled'.");
        }

        var stamp = Timestamp(now);
        var body = new JsonObject
        {
            ["deviceId"] = deviceId,
            ["generationId"] = existing?["generationId"]?.GetValue<string>() ?? NewGenerationId(),
            ["etag"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(8)),
            ["status"] = status,
            ["statusReason"] = request["statusReason"]?.GetValue<string>(),
            ["statusUpdatedTime"] = existing?["status"]?.GetValue<string>() == status ? existing["statusUpdatedTime"]?.DeepClone() ?? stamp : stamp,
            ["lastActivityTime"] = existing?["lastActivityTime"]?.DeepClone() ?? "0001-01-01T00:00:00Z",
            ["authentication"] = Authentication(request["authentication"] as JsonObject, existing?["authentication"] as JsonObject),
            ["capabilities"] = new JsonObject { ["iotEdge"] = request["capabilities"]?["iotEdge"]?.GetValue<bool>() ?? false },
            ["twin"] = existing?["twin"]?.DeepClone() ?? Twins.TwinDocument.Empty(),
        };
        return body;
    }

    /// <summary>The device as the registry API returns it: the stored JSON without the twin, with its live connection state.</summary>
    public static JsonObject ToWire(DeviceRecord device, bool connected, DateTimeOffset? connectedSince, int cloudToDeviceCount)
    {
        var wire = device.Body.DeepClone().AsObject();
        wire.Remove("twin");
        wire["connectionState"] = connected ? "Connected" : "Disconnected";
        wire["connectionStateUpdatedTime"] = connectedSince is { } since ? Timestamp(since) : wire["connectionStateUpdatedTime"]?.DeepClone() ?? "0001-01-01T00:00:00Z";
        wire["cloudToDeviceMessageCount"] = cloudToDeviceCount;
        return wire;
    }

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static string NewGenerationId() => RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture) + "0000000";

    /// <summary>
    /// sas (keys generated where empty, or kept from the device being replaced: azure-iothub's <c>update</c> sends empty
    /// keys when the caller gave none), selfSigned (two thumbprints, the secondary defaulting to the primary) or
    /// certificateAuthority; none given means a SAS device with generated keys, as IoT Hub does.
    /// </summary>
    private static JsonObject Authentication(JsonObject? requested, JsonObject? existing)
    {
        var type = requested?["type"]?.GetValue<string>() ?? "sas";
        switch (type)
        {
            case "sas":
                var keys = requested?["symmetricKey"];
                var kept = existing?["type"]?.GetValue<string>() == "sas" ? existing["symmetricKey"] : null;
                return new JsonObject
                {
                    ["type"] = "sas",
                    ["symmetricKey"] = new JsonObject
                    {
                        ["primaryKey"] = Key(keys?["primaryKey"], kept?["primaryKey"], "primaryKey"),
                        ["secondaryKey"] = Key(keys?["secondaryKey"], kept?["secondaryKey"], "secondaryKey"),
                    },
                    ["x509Thumbprint"] = new JsonObject { ["primaryThumbprint"] = null, ["secondaryThumbprint"] = null },
                };
            case "selfSigned":
                var primary = Thumbprint(requested?["x509Thumbprint"]?["primaryThumbprint"], "primaryThumbprint")
                    ?? throw new HubException(HubError.ArgumentInvalid, "A selfSigned device needs authentication.x509Thumbprint.primaryThumbprint: the SHA-1 (40 hex) or SHA-256 (64 hex) thumbprint of its certificate.");
                return new JsonObject
                {
                    ["type"] = "selfSigned",
                    ["symmetricKey"] = new JsonObject { ["primaryKey"] = null, ["secondaryKey"] = null },
                    ["x509Thumbprint"] = new JsonObject
                    {
                        ["primaryThumbprint"] = primary,
                        ["secondaryThumbprint"] = Thumbprint(requested?["x509Thumbprint"]?["secondaryThumbprint"], "secondaryThumbprint") ?? primary,
                    },
                };
            case "certificateAuthority":
                return new JsonObject
                {
                    ["type"] = "certificateAuthority",
                    ["symmetricKey"] = new JsonObject { ["primaryKey"] = null, ["secondaryKey"] = null },
                    ["x509Thumbprint"] = new JsonObject { ["primaryThumbprint"] = null, ["secondaryThumbprint"] = null },
                };
            default:
                throw new HubException(HubError.ArgumentInvalid, $"authentication.type '{type}' is not valid; use 'sas', 'selfSigned' or 'certificateAuthority'.");
        }
    }

    private static string Key(JsonNode? value, JsonNode? kept, string name)
    {
        var text = value?.GetValue<string>();
        if (string.IsNullOrEmpty(text))
        {
            return kept?.GetValue<string>() is { Length: > 0 } current ? current : Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        }

        try
        {
            var length = Convert.FromBase64String(text).Length;
            return length is >= 16 and <= 64
                ? text
                : throw new HubException(HubError.ArgumentInvalid, $"authentication.symmetricKey.{name} decodes to {length} bytes; a key must be 16 to 64 bytes, base64 encoded.");
        }
        catch (FormatException)
        {
            throw new HubException(HubError.ArgumentInvalid, $"authentication.symmetricKey.{name} is not base64; send a base64 key of 16 to 64 bytes, or leave it empty to have one generated.");
        }
    }

    private static string? Thumbprint(JsonNode? value, string name)
    {
        var text = value?.GetValue<string>()?.Replace(":", string.Empty, StringComparison.Ordinal);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return text.Length is 40 or 64 && text.All(char.IsAsciiHexDigit)
            ? text.ToUpperInvariant()
            : throw new HubException(HubError.ArgumentInvalid, $"authentication.x509Thumbprint.{name} '{text}' is not a SHA-1 (40 hex) or SHA-256 (64 hex) thumbprint.");
    }
}

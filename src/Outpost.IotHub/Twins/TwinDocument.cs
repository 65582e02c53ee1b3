using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Outpost.IotHub.Devices;
using Outpost.IotHub.ServiceApi;

namespace Outpost.IotHub.Twins;

/// <summary>
/// A device twin as stored under the device's <c>twin</c>: tags, desired and reported properties (each section keeps
/// its own <c>$version</c>) and the twin's overall version, from which its etag is made. Patches merge as JSON merge
/// patch (<c>null</c> deletes) within IoT Hub's limits: 8 KB of tags, 32 KB each of desired and reported
/// properties, 10 levels of nesting, and names without <c>.</c>, <c>$</c> at the start, spaces or control characters.
/// </summary>
internal static class TwinDocument
{
    private const int MaxTagsBytes = 8 * 1024;
    private const int MaxPropertiesBytes = 32 * 1024;
    private const int MaxDepth = 10;

    public static JsonObject Empty() => new()
    {
        ["tags"] = new JsonObject(),
        ["properties"] = new JsonObject { ["desired"] = new JsonObject(), ["reported"] = new JsonObject() },
        ["version"] = 1L,
    };

    public static long Version(JsonObject twin) => twin["version"]?.GetValue<long>() ?? 1;

    /// <summary>IoT Hub's twin etags are the twin version as 8 big-endian bytes in base64, e.g. "AAAAAAAAAAE=".</summary>
    public static string Etag(JsonObject twin)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, Version(twin));
        return Convert.ToBase64String(bytes);
    }

    public static long SectionVersion(JsonObject twin, string section) => Section(twin, section)["$version"]?.GetValue<long>() ?? 1;

    /// <summary>The twin as the service API returns it.</summary>
    public static JsonObject ToWire(DeviceRecord device, bool connected)
    {
        var twin = Twin(device);
        return new JsonObject
        {
            ["deviceId"] = device.DeviceId,
            ["etag"] = Etag(twin),
            ["deviceEtag"] = device.Body["etag"]?.DeepClone(),
            ["status"] = device.Body["status"]?.DeepClone(),
            ["statusUpdateTime"] = device.Body["statusUpdatedTime"]?.DeepClone(),
            ["connectionState"] = connected ? "Connected" : "Disconnected",
            ["lastActivityTime"] = device.Body["lastActivityTime"]?.DeepClone(),
            ["cloudToDeviceMessageCount"] = 0,
            ["authenticationType"] = device.AuthenticationType,
            ["x509Thumbprint"] = device.Body["authentication"]?["x509Thumbprint"]?.DeepClone() ?? new JsonObject { ["primaryThumbprint"] = null, ["secondaryThumbprint"] = null },
            ["version"] = Version(twin),
            ["tags"] = twin["tags"]?.DeepClone() ?? new JsonObject(),
            ["properties"] = new JsonObject { ["desired"] = WithVersion(twin, "desired"), ["reported"] = WithVersion(twin, "reported") },
            ["capabilities"] = device.Body["capabilities"]?.DeepClone() ?? new JsonObject { ["iotEdge"] = false },
        };
    }

    /// <summary>The body of a device's twin GET reply: <c>{"desired":{…,"$version":n},"reported":{…,"$version":m}}</c>.</summary>
    public static JsonObject ForDevice(DeviceRecord device)
    {
        var twin = Twin(device);
        return new JsonObject { ["desired"] = WithVersion(twin, "desired"), ["reported"] = WithVersion(twin, "reported") };
    }

    /// <summary>Merges a device's reported-properties patch and returns the new reported version.</summary>
    public static long PatchReported(DeviceRecord device, JsonNode? patch)
    {
        var twin = Twin(device);
        var reported = Merge(twin, "reported", RequireObject(patch, "The reported-properties patch"), MaxPropertiesBytes);
        Bump(twin);
        return reported;
    }

    /// <summary>
    /// Applies a service-side twin patch (<c>tags</c>, <c>properties.desired</c>) and returns the desired-properties
    /// patch devices must be told about, with its <c>$version</c>, or null when desired properties did not change.
    /// </summary>
    public static JsonObject? PatchFromService(DeviceRecord device, JsonObject patch, bool replace)
    {
        var twin = Twin(device);
        if (patch["properties"]?["reported"] is not null)
        {
            throw new HubException(HubError.ArgumentInvalid, "Reported properties are written by the device only; a service patch may carry tags and properties.desired.");
        }

        if (patch["tags"] is { } tags)
        {
            var tagPatch = RequireObject(tags, "tags");
            if (replace)
            {
                twin["tags"] = new JsonObject();
            }

            Validate(tagPatch, "tags", 1);
            MergeInto(twin["tags"]!.AsObject(), tagPatch);
            RequireSize(twin["tags"]!, MaxTagsBytes, "tags");
        }

        JsonObject? desiredPatch = null;
        if (patch["properties"]?["desired"] is { } desired)
        {
            desiredPatch = RequireObject(desired, "properties.desired").DeepClone().AsObject();
            desiredPatch.Remove("$version");
            desiredPatch.Remove("$metadata");
            if (replace)
            {
                var version = SectionVersion(twin, "desired");
                twin["properties"]!["desired"] = new JsonObject { ["$version"] = version };
            }

            var newVersion = Merge(twin, "desired", desiredPatch, MaxPropertiesBytes);
            desiredPatch["$version"] = newVersion;
        }

        Bump(twin);
        return desiredPatch;
    }

    private static JsonObject Twin(DeviceRecord device)
    {
        if (device.Body["twin"] is not JsonObject twin)
        {
            twin = Empty();
            device.Body["twin"] = twin;
        }

        return twin;
    }

    private static JsonObject Section(JsonObject twin, string section)
    {
        var properties = twin["properties"] as JsonObject ?? [];
        twin["properties"] = properties;
        if (properties[section] is not JsonObject value)
        {
            value = [];
            properties[section] = value;
        }

        return value;
    }

    private static JsonObject WithVersion(JsonObject twin, string section)
    {
        var copy = Section(twin, section).DeepClone().AsObject();
        copy["$version"] = SectionVersion(twin, section);
        return copy;
    }

    private static long Merge(JsonObject twin, string section, JsonObject patch, int maxBytes)
    {
        Validate(patch, $"properties.{section}", 1);
        var target = Section(twin, section);
        var version = SectionVersion(twin, section) + 1;
        MergeInto(target, patch);
        target["$version"] = version;
        RequireSize(target, maxBytes, $"properties.{section}");
        return version;
    }

    private static void Bump(JsonObject twin) => twin["version"] = Version(twin) + 1;

    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject child && target[name] is JsonObject existing)
            {
                MergeInto(existing, child);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }

    private static JsonObject RequireObject(JsonNode? node, string what) =>
        node as JsonObject ?? throw new HubException(HubError.ArgumentInvalid, $"{what} must be a JSON object.");

    private static void Validate(JsonObject value, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new HubException(HubError.ArgumentInvalid, $"{path} nests deeper than {MaxDepth} levels, IoT Hub's limit for twin documents.");
        }

        foreach (var (name, child) in value)
        {
            if (name.Length == 0 || name.Contains('.', StringComparison.Ordinal) || name.Contains(' ', StringComparison.Ordinal) || name[0] == '$'
                || name.Any(char.IsControl) || Encoding.UTF8.GetByteCount(name) > 1024)
            {
                throw new HubException(HubError.ArgumentInvalid,
                    $"The property name '{name}' under {path} is not allowed: names may not be empty, contain '.', spaces or control characters, start with '$', or exceed 1 KB.");
            }

            if (child is JsonObject nested)
            {
                Validate(nested, $"{path}.{name}", depth + 1);
            }
        }
    }

    private static void RequireSize(JsonNode section, int maxBytes, string path)
    {
        var size = Encoding.UTF8.GetByteCount(section.ToJsonString());
        if (size > maxBytes)
        {
            throw new HubException(HubError.ArgumentInvalid, $"{path} would be {size} bytes; IoT Hub allows {maxBytes / 1024} KB.");
        }
    }
}

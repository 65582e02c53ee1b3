namespace Outpost.IotHub.Telemetry;

/// <summary>
/// The property bag at the end of a device's telemetry topic (<c>…/messages/events/%24.mid=1&amp;alert=hi%20there</c>)
/// and of a cloud-to-device topic: <c>key=value</c> pairs joined by <c>&amp;</c>, URL-encoded, system properties
/// prefixed <c>$.</c> (which the Node SDK sends as <c>%24.</c>). A key without <c>=</c> has a null value.
/// </summary>
internal static class PropertyBag
{
    /// <summary>IoT Hub's short system property names and the names readers see them under.</summary>
    public static readonly IReadOnlyDictionary<string, string> SystemNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["$.mid"] = "message-id",
        ["$.cid"] = "correlation-id",
        ["$.uid"] = "user-id",
        ["$.to"] = "to",
        ["$.exp"] = "absolute-expiry-time",
        ["$.ct"] = "content-type",
        ["$.ce"] = "content-encoding",
        ["$.ifid"] = "dt-dataschema",
        ["$.sub"] = "dt-subject",
        ["$.on"] = "output-name",
    };

    public static IReadOnlyList<KeyValuePair<string, string?>> Parse(string bag)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var pair in bag.TrimEnd('/').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? null : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            pairs.Add(new(key, value));
        }

        return pairs;
    }

    /// <summary>Writes a bag the way IoT Hub does for cloud-to-device topics; '/' is encoded so the SDK finds the bag in one topic segment.</summary>
    public static string Format(IEnumerable<KeyValuePair<string, string?>> properties) =>
        string.Join('&', properties.Select(pair => pair.Value is null ? Uri.EscapeDataString(pair.Key) : $"{Uri.EscapeDataString(pair.Key)}={Uri.EscapeDataString(pair.Value)}"));
}

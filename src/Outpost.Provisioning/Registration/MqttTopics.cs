namespace Outpost.Provisioning.Registration;

/// <summary>The DPS MQTT topics: requests the device publishes and the response topic it subscribes to.</summary>
internal static class MqttTopics
{
    public const string ResponseFilter = "$dps/registrations/res/#";
    public const string ResponsePrefix = "$dps/registrations/res/";
    public const string Register = "$dps/registrations/PUT/iotdps-register/";
    public const string OperationStatus = "$dps/registrations/GET/iotdps-get-operationstatus/";

    /// <summary>The properties after <c>?</c> in a topic (<c>$rid</c>, <c>operationId</c>), unescaped.</summary>
    public static Dictionary<string, string> Properties(string topic)
    {
        var query = topic.IndexOf('?', StringComparison.Ordinal) is var at and >= 0 ? topic[(at + 1)..] : string.Empty;
        return query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => Uri.UnescapeDataString(pair[0]), pair => pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : string.Empty, StringComparer.Ordinal);
    }

    public static string Response(int status, string requestId, int? retryAfterSeconds = null) =>
        $"{ResponsePrefix}{status}/?$rid={Uri.EscapeDataString(requestId)}" + (retryAfterSeconds is { } seconds ? $"&retry-after={seconds}" : string.Empty);
}

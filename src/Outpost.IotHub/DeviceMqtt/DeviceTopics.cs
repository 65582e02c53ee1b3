namespace Outpost.IotHub.DeviceMqtt;

/// <summary>The MQTT topics of IoT Hub's device protocol, as azure-iot-device uses them.</summary>
internal static class DeviceTopics
{
    public const string MethodsFilter = "$iothub/methods/POST/#";
    public const string MethodResponsePrefix = "$iothub/methods/res/";
    public const string TwinResponsesFilter = "$iothub/twin/res/#";
    public const string TwinGet = "$iothub/twin/GET/";
    public const string ReportedPatch = "$iothub/twin/PATCH/properties/reported/";
    public const string DesiredFilter = "$iothub/twin/PATCH/properties/desired/#";
    public const string CredentialsFilter = "$iothub/credentials/res/#";
    public const string IssueCertificate = "$iothub/credentials/POST/issueCertificate/";

    public static string Events(string deviceId) => $"devices/{deviceId}/messages/events/";

    public static string CloudToDeviceFilter(string deviceId) => $"devices/{deviceId}/messages/devicebound/#";

    public static string CloudToDevicePrefix(string deviceId) => $"devices/{deviceId}/messages/devicebound/";

    /// <summary>The <c>?$rid=…&amp;…</c> part of a topic as name/value pairs.</summary>
    public static Dictionary<string, string> Query(string topic)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var question = topic.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return result;
        }

        foreach (var pair in topic[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            result[Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals])] = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
        }

        return result;
    }
}

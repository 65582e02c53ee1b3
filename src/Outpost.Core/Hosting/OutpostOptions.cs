namespace Outpost.Core;

/// <summary>
/// The server's start-up settings, section <c>Outpost</c> (flags <c>--data-dir</c>, <c>--https-port</c>,
/// <c>--mqtt-port</c>, <c>--dns-suffix</c>; environment <c>Outpost__DataDirectory</c> and so on).
/// </summary>
public sealed class OutpostOptions
{
    public const string SectionName = "Outpost";

    /// <summary>Everything the server keeps: the database, key material, bootstrap files. Default <c>./.outpost</c>.</summary>
    public string DataDirectory { get; set; } = ".outpost";

    /// <summary>The one HTTPS listener. Default 443, because the official Node.js SDKs only reach HTTPS there; 0 picks a free port.</summary>
    public int HttpsPort { get; set; } = 443;

    /// <summary>The MQTT-over-TLS listener. Default 8883; 0 picks a free port.</summary>
    public int MqttPort { get; set; } = 8883;

    /// <summary>Host names of hubs and DPS instances live under this suffix. Default <c>localhost</c>.</summary>
    public string DnsSuffix { get; set; } = "localhost";
}

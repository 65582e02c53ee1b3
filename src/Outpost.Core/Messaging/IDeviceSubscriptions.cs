namespace Outpost.Core.Messaging;

/// <summary>
/// The topic filters a device subscribed to in a persistent MQTT session (CleanSession=0), kept on disk so that the
/// session outlives a server restart, as IoT Hub's does: the SDKs subscribe once and never again while they reconnect.
/// </summary>
public interface IDeviceSubscriptions
{
    Task<IReadOnlyList<string>> GetAsync(string hubId, string deviceId, CancellationToken cancellationToken = default);

    /// <summary>Adds a filter to the device's persistent session.</summary>
    Task AddAsync(string hubId, string deviceId, string topicFilter, CancellationToken cancellationToken = default);

    /// <summary>Forgets the device's session, as a clean-session connect does.</summary>
    Task ClearAsync(string hubId, string deviceId, CancellationToken cancellationToken = default);
}

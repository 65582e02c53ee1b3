namespace Outpost.IotHub.DeviceMqtt;

/// <summary>
/// The user name of a hub device: <c>{hostName}/{deviceId}/?api-version=…&amp;DeviceClientType=…</c> (a module adds
/// <c>/{moduleId}</c>). The host name may carry a port, as it does when the connection string's HostName has one.
/// </summary>
internal sealed record HubMqttUser(string HostName, string DeviceId, string? ModuleId)
{
    public static HubMqttUser? Parse(string? userName)
    {
        if (userName is null)
        {
            return null;
        }

        var query = userName.IndexOf('?', StringComparison.Ordinal);
        var path = (query < 0 ? userName : userName[..query]).TrimEnd('/');
        var segments = path.Split('/');
        return segments.Length is 2 or 3 && segments.All(segment => segment.Length > 0) && segments[1] != "registrations"
            ? new HubMqttUser(segments[0], Uri.UnescapeDataString(segments[1]), segments.Length == 3 ? Uri.UnescapeDataString(segments[2]) : null)
            : null;
    }
}

namespace Outpost.Core.Devices;

/// <summary>
/// The hub's live device connections, for features that change what a device may do (revoking its certificates,
/// disabling it): they drop the device's connection at once, so the change holds for live sessions too. The hub
/// feature fills this seam.
/// </summary>
public interface ILiveDeviceSessions
{
    /// <summary>Closes the device's connection to the hub, if it has one; true when one was closed.</summary>
    Task<bool> DisconnectAsync(string hubId, string deviceId, CancellationToken cancellationToken = default);

    /// <summary>Closes every connection to the hub whose certificate chained to the CA with <paramref name="anchorThumbprint"/>; returns how many.</summary>
    Task<int> DisconnectIssuedByAsync(string hubId, string anchorThumbprint, CancellationToken cancellationToken = default);
}

using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Outpost.Server.Hosting;

/// <summary>
/// The two listeners and whether they are up. Ports read back after binding, so port 0 (any free port) works, and
/// the ready line in the log tells tests and scripts which ports they got.
/// </summary>
internal sealed class ListenerState
{
    public ListenOptions? Https { get; set; }

    public ListenOptions? Mqtt { get; set; }

    public bool Ready { get; set; }

    public int HttpsPort => Https?.IPEndPoint?.Port ?? 0;

    public int MqttPort => Mqtt?.IPEndPoint?.Port ?? 0;
}

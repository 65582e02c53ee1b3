namespace Outpost.IotHub;

/// <summary>Settings of the hub data plane (<c>Outpost:IotHub</c>), for operators who need other limits than IoT Hub's.</summary>
public sealed class IotHubOptions
{
    /// <summary>Messages a hub may take a day; 0 (the default) means the quota of the hub's tier and units.</summary>
    public long DailyMessageQuota { get; set; }

    /// <summary>The largest device-to-cloud message, in bytes: IoT Hub's 256 KB.</summary>
    public int MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary>How often expired events are dropped from the event logs, in minutes.</summary>
    public int RetentionSweepMinutes { get; set; } = 60;

    /// <summary>Cloud-to-device messages a device's queue holds at most: IoT Hub's 50.</summary>
    public int MaxQueuedCloudToDeviceMessages { get; set; } = 50;

    /// <summary>IoT Hub's per-tier throttles.</summary>
    public ThrottlingOptions Throttling { get; set; } = new();
}

/// <summary><c>Outpost:IotHub:Throttling</c>: whether IoT Hub's per-tier rates apply, and a factor on all of them.</summary>
public sealed class ThrottlingOptions
{
    public bool Enabled { get; set; } = true;

    public double Multiplier { get; set; } = 1;
}

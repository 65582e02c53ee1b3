namespace Outpost.Client;

/// <summary>
/// A call the server refused, with its HTTP status and the error code and message from its body (ARM's, IoT Hub's or
/// DPS's shape); status 0 when the server could not be reached at all.
/// </summary>
public sealed class OutpostApiException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;
}

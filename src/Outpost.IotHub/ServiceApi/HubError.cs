using Outpost.Core.Errors;

namespace Outpost.IotHub.ServiceApi;

/// <summary>
/// An IoT Hub error: the HTTP status, IoT Hub's six-digit code (status × 1000 + reason) and its name, as the SDKs
/// and IoT Hub's troubleshooting pages know them (404103 DeviceNotOnline, 403002 IotHubQuotaExceeded, …).
/// </summary>
internal sealed record HubError(int Status, int Code, string Name)
{
    public static readonly HubError ArgumentInvalid = new(400, 400004, "ArgumentInvalid");
    public static readonly HubError Unauthorized = new(401, 401003, "IotHubUnauthorizedAccess");
    public static readonly HubError QuotaExceeded = new(403, 403002, "IotHubQuotaExceeded");
    public static readonly HubError QueueDepthExceeded = new(403, 403004, "DeviceMaximumQueueDepthExceeded");
    public static readonly HubError HubNotFound = new(404, 404000, "IotHubNotFound");
    public static readonly HubError DeviceNotFound = new(404, 404001, "DeviceNotFound");
    public static readonly HubError DeviceNotOnline = new(404, 404103, "DeviceNotOnline");
    public static readonly HubError DeviceAlreadyExists = new(409, 409001, "DeviceAlreadyExists");
    public static readonly HubError PreconditionFailed = new(412, 412002, "PreconditionFailed");
    public static readonly HubError MessageTooLarge = new(413, 413001, "MessageTooLarge");
    public static readonly HubError Throttled = new(429, 429001, "ThrottlingException");
    public static readonly HubError InternalServerError = new(500, 500001, "ServerError");
    public static readonly HubError GatewayTimeout = new(504, 504101, "GatewayTimeout");

    /// <summary>IoT Hub's error for a refusal raised by code shared with the other features.</summary>
    public static HubError For(ErrorCode code) => code switch
    {
        ErrorCode.AuthenticationFailed or ErrorCode.InvalidAuthenticationToken or ErrorCode.AuthorizationFailed => Unauthorized,
        ErrorCode.ResourceNotFound => DeviceNotFound,
        ErrorCode.Conflict => DeviceAlreadyExists,
        ErrorCode.PreconditionFailed => PreconditionFailed,
        ErrorCode.RequestEntityTooLarge => MessageTooLarge,
        ErrorCode.InternalServerError => InternalServerError,
        _ => ArgumentInvalid,
    };
}

/// <summary>A refusal of the hub's data planes; its message goes to the client and must say what was wrong and what was expected.</summary>
internal sealed class HubException(HubError error, string message) : Exception(message)
{
    public HubError Error { get; } = error;

    public static HubError ErrorOf(Exception exception) => exception switch
    {
        HubException hub => hub.Error,
        OutpostException outpost => HubError.For(outpost.Code),
        _ => HubError.InternalServerError,
    };
}

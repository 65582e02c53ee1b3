using System.Globalization;
using System.Text.Json.Nodes;

namespace Outpost.IotHub.ServiceApi;

/// <summary>
/// How IoT Hub writes an error. REST: <c>{"Message":"ErrorCode:DeviceNotFound;…","ExceptionMessage":"Tracking ID:…"}</c>,
/// which azure-iothub parses for the code name, plus the numeric <c>errorCode</c> newer clients read. Device protocol
/// replies (twin, methods): <c>{"errorCode":404001,"message":…}</c>, which azure-iot-device checks for.
/// </summary>
internal static class HubErrorBody
{
    public static JsonObject Rest(HubError error, string message, string trackingId, DateTimeOffset now) => new()
    {
        ["Message"] = $"ErrorCode:{error.Name};{message}",
        ["ExceptionMessage"] = $"Tracking ID:{trackingId}-TimeStamp:{Timestamp(now)}",
        ["errorCode"] = error.Code,
    };

    public static JsonObject Device(HubError error, string message, string trackingId, DateTimeOffset now) => new()
    {
        ["errorCode"] = error.Code,
        ["trackingId"] = trackingId,
        ["message"] = message,
        ["timestampUtc"] = Timestamp(now),
    };

    public static async Task WriteAsync(HttpContext context, Exception exception, DateTimeOffset now)
    {
        var error = HubException.ErrorOf(exception);
        context.Response.StatusCode = error.Status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers["iothub-errorcode"] = error.Name;
        await context.Response.WriteAsync(Rest(error, exception.Message, context.TraceIdentifier, now).ToJsonString());
    }

    private static string Timestamp(DateTimeOffset now) => now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}

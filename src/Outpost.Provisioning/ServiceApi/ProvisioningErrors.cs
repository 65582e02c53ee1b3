using System.Text.Json.Nodes;
using Outpost.Core.Errors;

namespace Outpost.Provisioning.ServiceApi;

/// <summary>
/// DPS's error body, <c>{"errorCode":401002,"trackingId","message","timestampUtc"}</c>: the HTTP status times 1000
/// plus a reason, as the DPS SDKs read it.
/// </summary>
internal static class ProvisioningErrors
{
    public static (int Status, int ErrorCode) Classify(ErrorCode code) => code switch
    {
        ErrorCode.AuthenticationFailed or ErrorCode.InvalidAuthenticationToken => (401, 401002),
        ErrorCode.AuthorizationFailed => (401, 401003),
        ErrorCode.ResourceNotFound => (404, 404201),
        ErrorCode.Conflict => (409, 409201),
        ErrorCode.PreconditionFailed => (412, 412002),
        ErrorCode.FeatureNotProvided => (400, 400012),
        ErrorCode.RequestEntityTooLarge => (413, 413000),
        ErrorCode.InternalServerError => (500, 500000),
        _ => (400, 400004),
    };

    public static async Task WriteAsync(HttpContext context, OutpostException exception, DateTimeOffset now)
    {
        var (status, errorCode) = Classify(exception.Code);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(new JsonObject
        {
            ["errorCode"] = errorCode,
            ["trackingId"] = context.TraceIdentifier,
            ["message"] = exception.Message,
            ["timestampUtc"] = now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        }.ToJsonString());
    }
}

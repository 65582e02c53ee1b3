using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Outpost.Management.Arm;

namespace Outpost.Management.ActivityLog;

/// <summary>
/// One activity-log event in the <c>EventData</c> shape of <c>Microsoft.Insights/eventtypes/management/values</c>
/// (api-version 2015-04-01): the end of a request, with who made it, what it did to which resource and how it ended.
/// Outpost finishes every operation inside its request, so each write has one event, <c>EndRequest</c>; a 202 is
/// logged as <c>Succeeded</c> with sub-status <c>Accepted</c> because the work is already done when it is answered.
/// </summary>
internal static class ActivityEvent
{
    public static JsonObject Create(ArmOperation operation, HttpContext context, ArmCaller caller, string? callerName, string tenantId,
        string correlationId, DateTimeOffset timestamp)
    {
        var status = context.Response.StatusCode;
        var failed = status >= 400;
        var eventDataId = Guid.NewGuid().ToString();
        var reason = ReasonPhrases.GetReasonPhrase(status);
        var properties = new JsonObject
        {
            ["statusCode"] = reason.Replace(" ", string.Empty, StringComparison.Ordinal),
            ["serviceRequestId"] = context.TraceIdentifier,
            ["entity"] = operation.ResourceId,
        };
        if (context.Features.Get<ArmRefusal>() is { } refusal)
        {
            properties["statusMessage"] = ArmErrors.Envelope(refusal.Exception).ToJsonString(ArmJson.WriteOptions);
        }

        var claims = new JsonObject { ["oid"] = caller.ObjectId, ["appid"] = caller.ClientId, ["aud"] = caller.Audience };
        if (callerName is not null)
        {
            claims["name"] = callerName;
        }

        return new JsonObject
        {
            ["authorization"] = new JsonObject { ["action"] = operation.Name, ["scope"] = operation.ResourceId },
            ["caller"] = caller.ClientId,
            ["channels"] = "Operation",
            ["claims"] = claims,
            ["correlationId"] = correlationId,
            ["description"] = string.Empty,
            ["eventDataId"] = eventDataId,
            ["eventName"] = Localized("EndRequest", "End request"),
            ["category"] = Localized("Administrative"),
            ["httpRequest"] = new JsonObject
            {
                ["clientRequestId"] = context.Request.Headers["x-ms-client-request-id"].ToString(),
                ["clientIpAddress"] = context.Connection.RemoteIpAddress?.ToString(),
                ["method"] = context.Request.Method,
                ["uri"] = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}{context.Request.QueryString}",
            },
            ["id"] = $"{operation.ResourceId}/events/{eventDataId}/ticks/{timestamp.UtcTicks}",
            ["level"] = failed ? "Error" : "Informational",
            ["resourceGroupName"] = operation.ResourceGroup,
            ["resourceProviderName"] = Localized(operation.ResourceProvider),
            ["resourceId"] = operation.ResourceId,
            ["resourceType"] = Localized(operation.ResourceType),
            ["operationId"] = correlationId,
            ["operationName"] = Localized(operation.Name),
            ["properties"] = properties,
            ["status"] = Localized(failed ? "Failed" : "Succeeded"),
            ["subStatus"] = Localized(reason.Replace(" ", string.Empty, StringComparison.Ordinal), $"{reason} (HTTP Status Code: {status})"),
            ["eventTimestamp"] = ArmJson.Timestamp(timestamp),
            ["submissionTimestamp"] = ArmJson.Timestamp(timestamp),
            ["subscriptionId"] = operation.SubscriptionId,
            ["tenantId"] = tenantId,
        };
    }

    private static JsonObject Localized(string value, string? localized = null) => new() { ["value"] = value, ["localizedValue"] = localized ?? value };
}

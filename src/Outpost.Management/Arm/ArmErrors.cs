using System.Text.Json.Nodes;
using Outpost.Core.Errors;

namespace Outpost.Management.Arm;

/// <summary>The ARM error envelope <c>{"error":{"code","message","target","details"}}</c> and the HTTP status per code.</summary>
internal static class ArmErrors
{
    public static int StatusFor(ErrorCode code) => code switch
    {
        ErrorCode.AuthenticationFailed or ErrorCode.InvalidAuthenticationToken => StatusCodes.Status401Unauthorized,
        ErrorCode.RequestEntityTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCode.AuthorizationFailed or ErrorCode.LinkedAuthorizationFailed => StatusCodes.Status403Forbidden,
        ErrorCode.ResourceGroupNotFound or ErrorCode.ResourceNotFound or ErrorCode.SubscriptionNotFound => StatusCodes.Status404NotFound,
        ErrorCode.Conflict or ErrorCode.RoleAssignmentExists or ErrorCode.NameUnavailable => StatusCodes.Status409Conflict,
        ErrorCode.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        ErrorCode.InternalServerError => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status400BadRequest,
    };

    public static JsonObject Envelope(OutpostException exception) => new() { ["error"] = ErrorObject(exception) };

    public static JsonObject ErrorObject(OutpostException exception)
    {
        var error = new JsonObject
        {
            ["code"] = exception.Code.ToString(),
            ["message"] = exception.Message,
        };
        if (exception.Target is not null)
        {
            error["target"] = exception.Target;
        }

        if (exception.Details.Count > 0)
        {
            error["details"] = new JsonArray([.. exception.Details.Select(detail => (JsonNode)ErrorObject(detail))]);
        }

        return error;
    }

    public static Task WriteAsync(HttpContext context, OutpostException exception)
    {
        context.Features.Set(new ArmRefusal(exception));
        context.Response.StatusCode = StatusFor(exception.Code);
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(Envelope(exception).ToJsonString(ArmJson.WriteOptions));
    }
}

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Authorization;

namespace Outpost.Management.Arm;

/// <summary>
/// Polling endpoints of ARM's asynchronous operations: the <c>Azure-AsyncOperation</c> status resource and the
/// <c>Location</c> result, which answers with the resource (200) or, once it is gone, an empty 200.
/// </summary>
internal static class OperationEndpoints
{
    public static void MapOperations(this IEndpointRouteBuilder management)
    {
        management.MapGet("/subscriptions/{subscriptionId}/providers/{provider}/locations/{location}/operationStatuses/{operationId}", StatusAsync);
        management.MapGet("/subscriptions/{subscriptionId}/providers/{provider}/locations/{location}/operationResults/{operationId}", ResultAsync);
        management.MapGet("/subscriptions/{subscriptionId}/operationresults/{operationId}", ResultAsync);
    }

    private static async Task<IResult> StatusAsync(string subscriptionId, string provider, string operationId, HttpContext context,
        AccessChecker access, IOutpostStore store, CancellationToken cancellationToken)
    {
        var operation = await RequireAsync(subscriptionId, operationId, context, access, store, cancellationToken);
        var status = new JsonObject
        {
            ["id"] = context.Request.Path.Value,
            ["name"] = operation.Id,
            ["resourceId"] = operation.ResourceId,
            ["status"] = operation.Status,
            ["startTime"] = ArmJson.Timestamp(operation.StartTime),
            ["percentComplete"] = operation.EndTime is null ? 0 : 100,
        };
        if (operation.EndTime is { } end)
        {
            status["endTime"] = ArmJson.Timestamp(end);
        }

        if (operation.ErrorJson is not null)
        {
            status["error"] = JsonNode.Parse(operation.ErrorJson);
        }

        return ArmJson.Ok(status);
    }

    private static async Task<IResult> ResultAsync(string subscriptionId, string operationId, HttpContext context,
        AccessChecker access, IOutpostStore store, CancellationToken cancellationToken)
    {
        var operation = await RequireAsync(subscriptionId, operationId, context, access, store, cancellationToken);
        if (operation.ErrorJson is not null)
        {
            return ArmJson.Ok(new JsonObject { ["error"] = JsonNode.Parse(operation.ErrorJson) }, StatusCodes.Status400BadRequest);
        }

        // A finished deletion answers 200 with no body, as ARM's resource-group deletion does; the generated Azure
        // SDKs accept 200 as the final state of every delete, while some refuse 204.
        var resource = await store.GetResourceAsync(operation.ResourceId, cancellationToken);
        return resource is null ? Results.Ok() : ArmJson.Ok(JsonNode.Parse(resource.Body)!);
    }

    /// <summary>An operation is visible to whoever may read the resource it acted on; ids are random, so they cannot be enumerated.</summary>
    private static async Task<StoredOperation> RequireAsync(string subscriptionId, string operationId, HttpContext context,
        AccessChecker access, IOutpostStore store, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.Any, "operations");
        var operation = await store.GetOperationAsync(operationId, cancellationToken);
        if (operation is null || !operation.ResourceId.StartsWith(ArmScopes.Subscription(subscriptionId) + "/", StringComparison.OrdinalIgnoreCase))
        {
            AccessChecker.RequireManagementToken(context.User);
            throw new OutpostException(ErrorCode.ResourceNotFound, $"The operation '{operationId}' could not be found in subscription '{subscriptionId}'.");
        }

        await access.DemandAsync(context.User, operation.ResourceId, "Microsoft.Resources/subscriptions/operationresults/read", cancellationToken);
        return operation;
    }
}

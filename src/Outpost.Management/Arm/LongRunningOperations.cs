using System.Text.Json.Nodes;
using Outpost.Core.Storage;

namespace Outpost.Management.Arm;

/// <summary>
/// ARM's asynchronous-operation protocol. Outpost does a mutation's work inside the request and commits the
/// resource together with a finished operation record, so an acknowledged write is already durable and nothing is
/// left half-done if the process stops; clients still get the ARM answer (201/202 with <c>Azure-AsyncOperation</c>
/// and <c>Location</c>) and poll as they would against Azure, seeing <c>Succeeded</c> on the first poll.
/// </summary>
internal sealed class LongRunningOperations(IOutpostStore store, TimeProvider timeProvider)
{
    /// <summary>Seconds a client is told to wait before polling; the operation is done already, so the smallest value.</summary>
    private const string RetryAfterSeconds = "1";

    /// <summary>
    /// Commits a PUT. A new resource answers 201 with <c>Azure-AsyncOperation</c> (the spec's final state comes from
    /// that operation); a replaced one answers 200, which ARM allows for a PUT that finished at once.
    /// </summary>
    public async Task<IResult> CommitPutAsync(HttpContext context, StoreChangeSet changes, JsonObject resource, bool created, string location,
        CancellationToken cancellationToken)
    {
        var resourceId = resource["id"]!.GetValue<string>();
        var operation = Complete(changes, resourceId);
        await store.CommitAsync(changes, cancellationToken);
        if (!created)
        {
            return ArmJson.Ok(resource);
        }

        SetHeaders(context, resourceId, location, operation, withLocation: false);
        return ArmJson.Ok(resource, StatusCodes.Status201Created);
    }

    /// <summary>Commits a PATCH or DELETE and answers 202 with <c>Location</c> (the spec's final state) and <c>Azure-AsyncOperation</c>.</summary>
    public async Task<IResult> CommitAcceptedAsync(HttpContext context, StoreChangeSet changes, string resourceId, string location,
        CancellationToken cancellationToken)
    {
        var operation = Complete(changes, resourceId);
        await store.CommitAsync(changes, cancellationToken);
        SetHeaders(context, resourceId, location, operation, withLocation: true);
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    /// <summary>Commits a resource-group deletion and answers 202 with the subscription-level <c>Location</c> ARM uses for it.</summary>
    public async Task<IResult> CommitGroupDeletionAsync(HttpContext context, StoreChangeSet changes, string subscriptionId, string resourceGroupId,
        CancellationToken cancellationToken)
    {
        var operation = Complete(changes, resourceGroupId);
        await store.CommitAsync(changes, cancellationToken);
        var apiVersion = Uri.EscapeDataString(context.Request.Query["api-version"].ToString());
        context.Response.Headers.Location = $"{context.Request.Scheme}://{context.Request.Host}/subscriptions/{subscriptionId}/operationresults/{operation.Id}?api-version={apiVersion}";
        context.Response.Headers.RetryAfter = RetryAfterSeconds;
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    /// <summary>ARM location names have no spaces and no case: "East US 2" is "eastus2".</summary>
    public static string NormalizeLocation(string location) => location.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    private StoredOperation Complete(StoreChangeSet changes, string resourceId)
    {
        var now = timeProvider.GetUtcNow();
        var operation = new StoredOperation(Guid.NewGuid().ToString(), resourceId, "Succeeded", now, now, null);
        changes.PutOperation(operation);
        return operation;
    }

    /// <summary>The status and result URLs live under the resource's provider and location, as ARM's do.</summary>
    private static void SetHeaders(HttpContext context, string resourceId, string location, StoredOperation operation, bool withLocation)
    {
        var segments = resourceId.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var subscriptionId = segments[1];
        var provider = segments[Array.FindIndex(segments, segment => segment.Equals("providers", StringComparison.OrdinalIgnoreCase)) + 1];
        var apiVersion = Uri.EscapeDataString(context.Request.Query["api-version"].ToString());
        var root = $"{context.Request.Scheme}://{context.Request.Host}/subscriptions/{subscriptionId}/providers/{provider}/locations/{NormalizeLocation(location)}";
        context.Response.Headers["Azure-AsyncOperation"] = $"{root}/operationStatuses/{operation.Id}?api-version={apiVersion}";
        if (withLocation)
        {
            context.Response.Headers.Location = $"{root}/operationResults/{operation.Id}?api-version={apiVersion}";
        }

        context.Response.Headers.RetryAfter = RetryAfterSeconds;
    }
}

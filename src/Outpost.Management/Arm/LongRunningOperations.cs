using Outpost.Core.Storage;

namespace Outpost.Management.Arm;

/// <summary>
/// ARM's asynchronous-operation protocol. Outpost does a mutation's work inside the request and commits the
/// resource together with a finished operation record, so an acknowledged write is already durable and nothing is
/// left half-done if the process stops; clients still get the ARM answer (201/202 with <c>Azure-AsyncOperation</c>
/// and <c>Location</c>) and poll as they would against Azure, seeing <c>Succeeded</c> on the first poll.
/// </summary>
internal sealed class LongRunningOperations(TimeProvider timeProvider)
{
    /// <summary>Seconds a client is told to wait before polling; the operation is done already, so the smallest value.</summary>
    private const string RetryAfterSeconds = "1";

    /// <summary>Adds a finished operation for <paramref name="resourceId"/> to <paramref name="changes"/> and returns it.</summary>
    public StoredOperation Complete(StoreChangeSet changes, string resourceId)
    {
        var now = timeProvider.GetUtcNow();
        var operation = new StoredOperation(Guid.NewGuid().ToString(), resourceId, "Succeeded", now, now, null);
        changes.PutOperation(operation);
        return operation;
    }

    /// <summary>Sets <c>Azure-AsyncOperation</c> (and <c>Location</c> when <paramref name="withLocation"/>) for a provider-scoped operation.</summary>
    public static void SetHeaders(HttpContext context, string subscriptionId, string provider, string location, StoredOperation operation, bool withLocation)
    {
        var apiVersion = Uri.EscapeDataString(context.Request.Query["api-version"].ToString());
        var root = $"{context.Request.Scheme}://{context.Request.Host}/subscriptions/{subscriptionId}/providers/{provider}/locations/{NormalizeLocation(location)}";
        context.Response.Headers["Azure-AsyncOperation"] = $"{root}/operationStatuses/{operation.Id}?api-version={apiVersion}";
        if (withLocation)
        {
            context.Response.Headers.Location = $"{root}/operationResults/{operation.Id}?api-version={apiVersion}";
        }

        context.Response.Headers.RetryAfter = RetryAfterSeconds;
    }

    /// <summary>Sets <c>Location</c> to the subscription-level operation result, as resource-group deletion answers.</summary>
    public static void SetSubscriptionLocation(HttpContext context, string subscriptionId, StoredOperation operation)
    {
        var apiVersion = Uri.EscapeDataString(context.Request.Query["api-version"].ToString());
        context.Response.Headers.Location = $"{context.Request.Scheme}://{context.Request.Host}/subscriptions/{subscriptionId}/operationresults/{operation.Id}?api-version={apiVersion}";
        context.Response.Headers.RetryAfter = RetryAfterSeconds;
    }

    /// <summary>ARM location names have no spaces and no case: "East US 2" is "eastus2".</summary>
    public static string NormalizeLocation(string location) => location.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
}

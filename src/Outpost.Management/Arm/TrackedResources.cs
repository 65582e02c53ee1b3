using System.Text.Json.Nodes;
using Outpost.Core.Errors;
using Outpost.Core.Storage;

namespace Outpost.Management.Arm;

/// <summary>What every tracked resource type does the same way: its location rule, tag-only PATCH and list operations.</summary>
internal static class TrackedResources
{
    /// <summary>A new resource needs an offered location; an existing one keeps its own and refuses a move.</summary>
    public static string Location(JsonObject body, JsonObject? current, ManagementServices services, string resourceType, string kind)
    {
        var requested = ArmJson.OptionalString(body, "location", "location");
        if (current is null)
        {
            return string.IsNullOrWhiteSpace(requested)
                ? throw new OutpostException(ErrorCode.InvalidRequestContent, $"A {kind} needs a 'location', for example \"eastus\".", "location")
                : services.Regions.Value.Require(requested, resourceType);
        }

        var location = current["location"]!.GetValue<string>();
        return requested is null || LongRunningOperations.NormalizeLocation(requested) == LongRunningOperations.NormalizeLocation(location)
            ? location
            : throw new OutpostException(ErrorCode.PropertyChangeNotAllowed,
                $"The {kind} is in '{location}' and cannot move to '{requested}'. Delete it and create it again to change its location.", "location");
    }

    /// <summary>A PATCH that changes tags only (Azure's TagsResource update), answered as a long-running operation.</summary>
    public static async Task<IResult> PatchTagsAsync(HttpContext context, StoredResource existing, string kind, ManagementServices services, CancellationToken cancellationToken)
    {
        var patch = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        if (patch.Select(property => property.Key).FirstOrDefault(key => key != "tags") is { } other)
        {
            throw new OutpostException(ErrorCode.PropertyChangeNotAllowed, $"A PATCH of a {kind} changes only 'tags'; use PUT to change '{other}'.", other);
        }

        var resource = ArmScopes.Body(existing);
        resource["tags"] = ArmJson.Tags(patch, resource["tags"] as JsonObject);
        if (resource.ContainsKey("etag"))
        {
            resource["etag"] = NewEtag();
        }

        var changes = new StoreChangeSet().PutResource(existing with { Body = resource.ToJsonString() }, existing.Version);
        return await services.Operations.CommitAcceptedAsync(context, changes, existing.Id, resource["location"]!.GetValue<string>(), cancellationToken);
    }

    public static async Task<IResult> ListByResourceGroupAsync(HttpContext context, ManagementServices services, string type, IReadOnlyList<string> apiVersions,
        string subscriptionId, string resourceGroup, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, apiVersions, type);
        await services.Access.DemandAsync(context.User, ArmScopes.ResourceGroup(subscriptionId, resourceGroup), $"{type}/read", cancellationToken);
        await services.Scopes.RequireResourceGroupAsync(subscriptionId, resourceGroup, cancellationToken);
        return ArmJson.List((await services.Store.GetResourcesAsync(new ResourceQuery(type, subscriptionId, resourceGroup), cancellationToken)).Select(item => item.Body));
    }

    public static async Task<IResult> ListBySubscriptionAsync(HttpContext context, ManagementServices services, string type, IReadOnlyList<string> apiVersions,
        string subscriptionId, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, apiVersions, type);
        await services.Access.DemandAsync(context.User, ArmScopes.Subscription(subscriptionId), $"{type}/read", cancellationToken);
        await services.Scopes.RequireSubscriptionAsync(subscriptionId, cancellationToken);
        return ArmJson.List((await services.Store.GetResourcesAsync(new ResourceQuery(type, subscriptionId), cancellationToken)).Select(item => item.Body));
    }

    /// <summary>
    /// The checks in front of every operation on one tracked resource: api-version, the caller's permission for
    /// <c>{type}/{verb}</c>, the resource group, and the resource itself (ARM's not-found error otherwise).
    /// </summary>
    public static async Task<StoredResource> RequireAsync(HttpContext context, ManagementServices services, string type, IReadOnlyList<string> apiVersions,
        ResourceNameParts resource, string verb, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, apiVersions, type);
        await services.Access.DemandAsync(context.User, resource.Id, $"{type}/{verb}", cancellationToken);
        await services.Scopes.RequireResourceGroupAsync(resource.SubscriptionId, resource.ResourceGroup, cancellationToken);
        return await services.Scopes.RequireResourceAsync(resource.Id, $"{type}/{resource.Name}", resource.ResourceGroup, cancellationToken);
    }

    /// <summary>
    /// A DELETE of a tracked resource with everything under it, answered as a long-running operation (204 when it is
    /// already gone); its global names are released and <paramref name="alsoDelete"/> adds what else must go with it.
    /// </summary>
    public static async Task<IResult> DeleteAsync(HttpContext context, ManagementServices services, string type, IReadOnlyList<string> apiVersions, string id,
        Func<JsonObject, StoreChangeSet, Task>? alsoDelete, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, apiVersions, type);
        await services.Access.DemandAsync(context.User, id, $"{type}/delete", cancellationToken);
        var existing = await services.Store.GetResourceAsync(id, cancellationToken);
        if (existing is null)
        {
            return Results.NoContent();
        }

        var resource = ArmScopes.Body(existing);
        var changes = new StoreChangeSet().DeleteResourceTree(existing.Id);
        GlobalNames.ReleaseFor(changes, resource);
        if (alsoDelete is not null)
        {
            await alsoDelete(resource, changes);
        }

        return await services.Operations.CommitAcceptedAsync(context, changes, existing.Id, resource["location"]!.GetValue<string>(), cancellationToken);
    }

    /// <summary>An opaque entity tag that changes with every write.</summary>
    public static string NewEtag() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
}

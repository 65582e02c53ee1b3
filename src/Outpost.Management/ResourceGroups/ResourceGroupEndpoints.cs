using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.Authorization;

namespace Outpost.Management.ResourceGroups;

/// <summary><c>Microsoft.Resources/resourceGroups</c>: create or update, get, exists (HEAD), list, tag and delete with everything in it.</summary>
internal static class ResourceGroupEndpoints
{
    private const string Type = "Microsoft.Resources/resourceGroups";

    public static void MapResourceGroups(this IEndpointRouteBuilder management)
    {
        const string Item = "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}";
        management.MapGet("/subscriptions/{subscriptionId}/resourcegroups", ListAsync);
        management.MapPut(Item, PutAsync);
        management.MapGet(Item, GetAsync);
        management.MapMethods(Item, [HttpMethods.Head], ExistsAsync);
        management.MapMethods(Item, [HttpMethods.Patch], PatchAsync);
        management.MapDelete(Item, DeleteAsync);
    }

    private static async Task<IResult> PutAsync(string subscriptionId, string resourceGroupName, HttpContext context, ArmScopes scopes,
        AccessChecker access, IOutpostStore store, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.Resources, Type);
        ResourceGroupNames.Validate(resourceGroupName);
        await scopes.RequireSubscriptionAsync(subscriptionId, cancellationToken);
        var id = ArmScopes.ResourceGroup(subscriptionId, resourceGroupName);
        await access.DemandAsync(context.User, id, "Microsoft.Resources/subscriptions/resourceGroups/write", cancellationToken);
        var body = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        var location = ArmJson.OptionalString(body, "location", "location");
        if (string.IsNullOrWhiteSpace(location))
        {
            throw new OutpostException(ErrorCode.InvalidRequestContent, "The resource group needs a 'location', for example {\"location\":\"eastus\"}.", "location");
        }

        var existing = await store.GetResourceAsync(id, cancellationToken);
        if (existing is not null)
        {
            var current = ArmScopes.Body(existing)["location"]!.GetValue<string>();
            if (!string.Equals(LongRunningOperations.NormalizeLocation(current), LongRunningOperations.NormalizeLocation(location), StringComparison.Ordinal))
            {
                throw new OutpostException(ErrorCode.Conflict,
                    $"Invalid resource group location '{location}'. The Resource group already exists in location '{current}'.", "location");
            }
        }

        // An existing group keeps the name casing it was created with, as ARM does.
        var name = existing is null ? resourceGroupName : ArmScopes.Body(existing)["name"]!.GetValue<string>();
        var resource = new JsonObject
        {
            ["id"] = ArmScopes.ResourceGroup(subscriptionId, name),
            ["name"] = name,
            ["type"] = Type,
            ["location"] = existing is null ? LongRunningOperations.NormalizeLocation(location) : ArmScopes.Body(existing)["location"]!.GetValue<string>(),
            ["tags"] = ArmJson.Tags(body),
            ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
        };
        if (ArmJson.OptionalString(body, "managedBy", "managedBy") is { } managedBy)
        {
            resource["managedBy"] = managedBy;
        }

        await store.CommitAsync(new StoreChangeSet().PutResource(
            new StoredResource(resource["id"]!.GetValue<string>(), Type, subscriptionId, name, null, resource.ToJsonString()), existing?.Version ?? 0), cancellationToken);
        return ArmJson.Ok(resource, existing is null ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> GetAsync(string subscriptionId, string resourceGroupName, HttpContext context, ArmScopes scopes,
        AccessChecker access, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.Resources, Type);
        await access.DemandAsync(context.User, ArmScopes.ResourceGroup(subscriptionId, resourceGroupName), "Microsoft.Resources/subscriptions/resourceGroups/read", cancellationToken);
        return ArmJson.Ok(ArmScopes.Body(await scopes.RequireResourceGroupAsync(subscriptionId, resourceGroupName, cancellationToken)));
    }

    private static async Task<IResult> ExistsAsync(string subscriptionId, string resourceGroupName, HttpContext context, AccessChecker access,
        IOutpostStore store, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.Resources, Type);
        var id = ArmScopes.ResourceGroup(subscriptionId, resourceGroupName);
        await access.DemandAsync(context.User, id, "Microsoft.Resources/subscriptions/resourceGroups/read", cancellationToken);
        return Results.StatusCode(await store.GetResourceAsync(id, cancellationToken) is null ? StatusCodes.Status404NotFound : StatusCodes.Status204NoContent);
    }

    private static async Task<IResult> ListAsync(string subscriptionId, HttpContext context, ArmScopes scopes, AccessChecker access,
        IOutpostStore store, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.Resources, Type);
        await scopes.RequireSubscriptionAsync(subscriptionId, cancellationToken);
        await access.DemandAsync(context.User, ArmScopes.Subscription(subscriptionId), "Microsoft.Resources/subscriptions/resourceGroups/read", cancellationToken);
        var groups = await store.GetResourcesAsync(new ResourceQuery(Type, subscriptionId), cancellationToken);
        return ArmJson.List(groups.Select(group => group.Body));
    }

    private static async Task<IResult> PatchAsync(string subscriptionId, string resourceGroupName, HttpContext context, ArmScopes scopes,
        AccessChecker access, IOutpostStore store, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.Resources, Type);
        var id = ArmScopes.ResourceGroup(subscriptionId, resourceGroupName);
        await access.DemandAsync(context.User, id, "Microsoft.Resources/subscriptions/resourceGroups/write", cancellationToken);
        var existing = await scopes.RequireResourceGroupAsync(subscriptionId, resourceGroupName, cancellationToken);
        var patch = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        var resource = ArmScopes.Body(existing);
        resource["tags"] = ArmJson.Tags(patch, resource["tags"] as JsonObject);
        await store.CommitAsync(new StoreChangeSet().PutResource(existing with { Body = resource.ToJsonString() }, existing.Version), cancellationToken);
        return ArmJson.Ok(resource);
    }

    /// <summary>Deleting a group deletes every resource in it, with their keys and identities, in one commit.</summary>
    private static async Task<IResult> DeleteAsync(string subscriptionId, string resourceGroupName, HttpContext context, ArmScopes scopes,
        AccessChecker access, IOutpostStore store, LongRunningOperations operations, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.Resources, Type);
        var id = ArmScopes.ResourceGroup(subscriptionId, resourceGroupName);
        await access.DemandAsync(context.User, id, "Microsoft.Resources/subscriptions/resourceGroups/delete", cancellationToken);
        var existing = await scopes.RequireResourceGroupAsync(subscriptionId, resourceGroupName, cancellationToken);
        var changes = new StoreChangeSet().DeleteResourceTree(existing.Id);
        await GlobalNames.ReleaseForGroupAsync(changes, store, subscriptionId, resourceGroupName, cancellationToken);
        return await operations.CommitGroupDeletionAsync(context, changes, subscriptionId, existing.Id, cancellationToken);
    }
}

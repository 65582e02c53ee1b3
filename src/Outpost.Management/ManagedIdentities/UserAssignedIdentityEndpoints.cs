using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.Authorization;
using Outpost.Management.Identity;

namespace Outpost.Management.ManagedIdentities;

/// <summary>
/// <c>Microsoft.ManagedIdentity/userAssignedIdentities</c>: a principal of its own that role assignments can name and
/// hubs and DPS instances can use. Deleting it removes the principal; assignments naming it stop granting anything.
/// </summary>
internal static partial class UserAssignedIdentityEndpoints
{
    public const string Type = "Microsoft.ManagedIdentity/userAssignedIdentities";

    private static readonly IReadOnlyList<string> ApiVersionsServed =
        ["2018-11-30", "2021-09-30-preview", "2022-01-31-preview", "2023-01-31", "2023-07-31-preview", "2024-11-30", "2025-01-31-preview"];

    public static void MapUserAssignedIdentities(this IEndpointRouteBuilder management)
    {
        const string Group = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities";
        management.MapPut(Group + "/{resourceName}", PutAsync);
        management.MapGet(Group + "/{resourceName}", GetAsync);
        management.MapMethods(Group + "/{resourceName}", [HttpMethods.Patch], PatchAsync);
        management.MapDelete(Group + "/{resourceName}", DeleteAsync);
        management.MapGet(Group, ListByResourceGroupAsync);
        management.MapGet("/subscriptions/{subscriptionId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities", ListBySubscriptionAsync);
    }

    public static string Id(string subscriptionId, string resourceGroup, string name) =>
        $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/{Type}/{name}";

    private static async Task<IResult> PutAsync(string subscriptionId, string resourceGroupName, string resourceName, HttpContext context,
        ArmScopes scopes, AccessChecker access, IOutpostStore store, ServerIdentity identity, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersionsServed, Type);
        if (!Name().IsMatch(resourceName))
        {
            throw new OutpostException(ErrorCode.InvalidResourceName,
                $"The identity name '{resourceName}' is invalid. It must be 3 to 128 letters, digits, '-' and '_', starting with a letter or digit.", "resourceName");
        }

        var id = Id(subscriptionId, resourceGroupName, resourceName);
        await access.DemandAsync(context.User, id, $"{Type}/write", cancellationToken);
        await scopes.RequireResourceGroupAsync(subscriptionId, resourceGroupName, cancellationToken);
        var body = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        var location = ArmJson.OptionalString(body, "location", "location");
        if (string.IsNullOrWhiteSpace(location))
        {
            throw new OutpostException(ErrorCode.InvalidRequestContent, "A user-assigned identity needs a 'location', for example {\"location\":\"eastus\"}.", "location");
        }

        var existing = await store.GetResourceAsync(id, cancellationToken);
        var changes = new StoreChangeSet();
        JsonObject resource;
        if (existing is null)
        {
            var principalId = Guid.NewGuid().ToString();
            var clientId = Guid.NewGuid().ToString();
            changes.PutPrincipal(new StoredPrincipal(principalId, clientId, resourceName, PrincipalKind.UserAssignedIdentity, null, id));
            resource = new JsonObject
            {
                ["id"] = id,
                ["name"] = resourceName,
                ["type"] = Type,
                ["location"] = location,
                ["tags"] = ArmJson.Tags(body),
                ["properties"] = new JsonObject { ["tenantId"] = identity.TenantId, ["principalId"] = principalId, ["clientId"] = clientId },
            };
        }
        else
        {
            resource = ArmScopes.Body(existing);
            resource["tags"] = ArmJson.Tags(body);
        }

        changes.PutResource(new StoredResource(id, Type, subscriptionId, resourceGroupName, null, resource.ToJsonString()), existing?.Version ?? 0);
        await store.CommitAsync(changes, cancellationToken);
        return ArmJson.Ok(resource, existing is null ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> GetAsync(string subscriptionId, string resourceGroupName, string resourceName, HttpContext context,
        ArmScopes scopes, AccessChecker access, CancellationToken cancellationToken)
    {
        var existing = await RequireAsync(subscriptionId, resourceGroupName, resourceName, "read", context, scopes, access, cancellationToken);
        return ArmJson.Ok(ArmScopes.Body(existing));
    }

    private static async Task<IResult> PatchAsync(string subscriptionId, string resourceGroupName, string resourceName, HttpContext context,
        ArmScopes scopes, AccessChecker access, IOutpostStore store, CancellationToken cancellationToken)
    {
        var existing = await RequireAsync(subscriptionId, resourceGroupName, resourceName, "write", context, scopes, access, cancellationToken);
        var patch = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        var resource = ArmScopes.Body(existing);
        resource["tags"] = ArmJson.Tags(patch, resource["tags"] as JsonObject);
        await store.CommitAsync(new StoreChangeSet().PutResource(existing with { Body = resource.ToJsonString() }, existing.Version), cancellationToken);
        return ArmJson.Ok(resource);
    }

    private static async Task<IResult> DeleteAsync(string subscriptionId, string resourceGroupName, string resourceName, HttpContext context,
        ArmScopes scopes, AccessChecker access, IOutpostStore store, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersionsServed, Type);
        var id = Id(subscriptionId, resourceGroupName, resourceName);
        await access.DemandAsync(context.User, id, $"{Type}/delete", cancellationToken);
        var existing = await store.GetResourceAsync(id, cancellationToken);
        if (existing is null)
        {
            return Results.NoContent();
        }

        await store.CommitAsync(new StoreChangeSet().DeleteResourceTree(existing.Id), cancellationToken);
        return Results.Ok();
    }

    private static Task<IResult> ListByResourceGroupAsync(string subscriptionId, string resourceGroupName, HttpContext context, ManagementServices services,
        CancellationToken cancellationToken) =>
        TrackedResources.ListByResourceGroupAsync(context, services, Type, ApiVersionsServed, subscriptionId, resourceGroupName, cancellationToken);

    private static Task<IResult> ListBySubscriptionAsync(string subscriptionId, HttpContext context, ManagementServices services, CancellationToken cancellationToken) =>
        TrackedResources.ListBySubscriptionAsync(context, services, Type, ApiVersionsServed, subscriptionId, cancellationToken);

    private static async Task<StoredResource> RequireAsync(string subscriptionId, string resourceGroupName, string resourceName, string verb,
        HttpContext context, ArmScopes scopes, AccessChecker access, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersionsServed, Type);
        var id = Id(subscriptionId, resourceGroupName, resourceName);
        await access.DemandAsync(context.User, id, $"{Type}/{verb}", cancellationToken);
        await scopes.RequireResourceGroupAsync(subscriptionId, resourceGroupName, cancellationToken);
        return await scopes.RequireResourceAsync(id, $"{Type}/{resourceName}", resourceGroupName, cancellationToken);
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$")]
    private static partial Regex Name();
}

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.Authorization;

namespace Outpost.Management.Subscriptions;

/// <summary>
/// <c>Microsoft.Subscription/aliases</c>: how Azure creates subscriptions (<c>az account alias create</c>). A caller
/// who is Owner of a subscription may create more; it becomes Owner of each new one. Repeating a PUT of an alias
/// returns the subscription it made.
/// </summary>
internal static class SubscriptionAliasEndpoints
{
    private const string Type = "Microsoft.Subscription/aliases";
    private static readonly IReadOnlyList<string> ApiVersionsServed = ["2020-09-01", "2021-10-01", "2024-08-01-preview"];

    public static void MapSubscriptionAliases(this IEndpointRouteBuilder management)
    {
        management.MapPut("/providers/Microsoft.Subscription/aliases/{aliasName}", PutAsync);
        management.MapGet("/providers/Microsoft.Subscription/aliases/{aliasName}", GetAsync);
    }

    private static async Task<IResult> PutAsync(string aliasName, HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersionsServed, Type);
        var caller = AccessChecker.RequireManagementToken(context.User);
        var assignments = await services.Store.GetRoleAssignmentsForPrincipalAsync(caller.ObjectId, cancellationToken);
        if (!assignments.Any(assignment => BuiltInRoles.Find(assignment.RoleDefinitionId) == BuiltInRoles.Owner))
        {
            throw new OutpostException(ErrorCode.AuthorizationFailed,
                $"The client '{caller.ClientId}' with object id '{caller.ObjectId}' may not create subscriptions: that needs Owner of an existing subscription.");
        }

        var id = $"/providers/{Type}/{aliasName}";
        if (await services.Store.GetResourceAsync(id, cancellationToken) is { } existing)
        {
            return ArmJson.Ok(ArmScopes.Body(existing));
        }

        var body = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        var properties = ArmJson.OptionalObject(body, "properties", "properties") ?? [];
        var displayName = ArmJson.OptionalString(properties, "displayName", "properties.displayName") ?? aliasName;
        var subscriptionId = Guid.NewGuid().ToString();
        var scope = ArmScopes.Subscription(subscriptionId);
        var alias = new JsonObject
        {
            ["id"] = id,
            ["name"] = aliasName,
            ["type"] = Type,
            ["properties"] = new JsonObject { ["subscriptionId"] = subscriptionId, ["provisioningState"] = "Succeeded" },
        };
        var subscription = new JsonObject
        {
            ["id"] = scope,
            ["subscriptionId"] = subscriptionId,
            ["tenantId"] = services.Identity.TenantId,
            ["displayName"] = displayName,
            ["state"] = "Enabled",
            ["subscriptionPolicies"] = new JsonObject { ["locationPlacementId"] = "Public_2014-09-01", ["quotaId"] = "Outpost", ["spendingLimit"] = "Off" },
            ["authorizationSource"] = "RoleBased",
            ["managedByTenants"] = new JsonArray(),
            ["tags"] = new JsonObject(),
        };
        await services.Store.CommitAsync(new StoreChangeSet()
            .PutResource(new StoredResource(id, Type, string.Empty, null, null, alias.ToJsonString()), expectedVersion: 0)
            .PutResource(new StoredResource(scope, "Microsoft.Resources/subscriptions", subscriptionId, null, null, subscription.ToJsonString()), expectedVersion: 0)
            .PutRoleAssignment(new StoredRoleAssignment($"{scope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}", scope, BuiltInRoles.Owner.Id,
                caller.ObjectId, services.Time.GetUtcNow(), caller.ObjectId)), cancellationToken);
        return ArmJson.Ok(alias, StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(string aliasName, HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersionsServed, Type);
        AccessChecker.RequireManagementToken(context.User);
        var alias = await services.Store.GetResourceAsync($"/providers/{Type}/{aliasName}", cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceNotFound, $"The subscription alias '{aliasName}' does not exist.");
        return ArmJson.Ok(ArmScopes.Body(alias));
    }
}

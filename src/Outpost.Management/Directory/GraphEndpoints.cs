using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.Authorization;
using Outpost.Management.Identity;

namespace Outpost.Management.Directory;

/// <summary>
/// The slice of Microsoft Graph that <c>az ad sp create-for-rbac</c> uses, so operators can make service principals
/// for people and pipelines: create an application (its service principal comes with it), add a password, read the
/// service principal. Only a principal holding Owner or User Access Administrator on a subscription may call it.
/// </summary>
internal static class GraphEndpoints
{
    private const string ApplicationType = "Microsoft.Graph/applications";

    public static void MapGraph(this IEndpointRouteBuilder management)
    {
        management.MapPost("/v1.0/applications", CreateApplicationAsync);
        management.MapPost("/v1.0/applications/{id}/addPassword", AddPasswordAsync);
        management.MapPost("/v1.0/servicePrincipals", CreateServicePrincipalAsync);
        management.MapGet("/v1.0/servicePrincipals(appId='{appId}')", GetServicePrincipalAsync);
    }

    private static async Task<IResult> CreateApplicationAsync(HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        await RequireDirectoryWriterAsync(context, services, cancellationToken);
        var body = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        var displayName = ArmJson.OptionalString(body, "displayName", "displayName");
        if (string.IsNullOrWhiteSpace(displayName))
        {
            throw new OutpostException(ErrorCode.InvalidRequestContent, "An application needs a displayName.", "displayName");
        }

        var applicationId = Guid.NewGuid().ToString();
        var appId = Guid.NewGuid().ToString();
        var application = new JsonObject { ["id"] = applicationId, ["appId"] = appId, ["displayName"] = displayName, ["passwordCredentials"] = new JsonArray() };
        // The service principal is made with the application: Outpost has one tenant, so there is nowhere else for it to live.
        await services.Store.CommitAsync(new StoreChangeSet()
            .PutResource(new StoredResource($"/applications/{applicationId}", ApplicationType, string.Empty, null, null, application.ToJsonString()), expectedVersion: 0)
            .PutPrincipal(new StoredPrincipal(Guid.NewGuid().ToString(), appId, displayName, PrincipalKind.ServicePrincipal, null, null)), cancellationToken);
        return ArmJson.Ok(application, StatusCodes.Status201Created);
    }

    /// <summary>Gives the application a new client secret, replacing any earlier one; the secret is shown once and stored only as a hash.</summary>
    private static async Task<IResult> AddPasswordAsync(string id, HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        await RequireDirectoryWriterAsync(context, services, cancellationToken);
        var application = await services.Store.GetResourceAsync($"/applications/{id}", cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceNotFound, $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");
        var appId = ArmScopes.Body(application)["appId"]!.GetValue<string>();
        var principal = await services.Store.GetPrincipalByClientIdAsync(appId, cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceNotFound, $"The service principal of application '{appId}' is missing.");
        var secret = ClientSecrets.Generate();
        var now = services.Time.GetUtcNow();
        await services.Store.CommitAsync(new StoreChangeSet().PutPrincipal(principal with { SecretHash = ClientSecrets.Hash(secret) }), cancellationToken);
        return ArmJson.Ok(new JsonObject
        {
            ["keyId"] = Guid.NewGuid().ToString(),
            ["displayName"] = "rbac",
            ["secretText"] = secret,
            ["hint"] = secret[..3],
            ["startDateTime"] = ArmJson.Timestamp(now),
            ["endDateTime"] = ArmJson.Timestamp(now.AddYears(1)),
        });
    }

    private static async Task<IResult> CreateServicePrincipalAsync(HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        await RequireDirectoryWriterAsync(context, services, cancellationToken);
        var body = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        var appId = ArmJson.OptionalString(body, "appId", "appId") ?? throw new OutpostException(ErrorCode.InvalidRequestContent, "Send {\"appId\":\"…\"}.", "appId");
        return ArmJson.Ok(await ServicePrincipalAsync(appId, services, cancellationToken), StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetServicePrincipalAsync(string appId, HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        await RequireDirectoryWriterAsync(context, services, cancellationToken);
        return ArmJson.Ok(await ServicePrincipalAsync(appId, services, cancellationToken));
    }

    private static async Task<JsonObject> ServicePrincipalAsync(string appId, ManagementServices services, CancellationToken cancellationToken)
    {
        var principal = await services.Store.GetPrincipalByClientIdAsync(appId, cancellationToken);
        return principal is { Kind: PrincipalKind.ServicePrincipal }
            ? new JsonObject { ["id"] = principal.ObjectId, ["appId"] = principal.ClientId, ["displayName"] = principal.DisplayName, ["servicePrincipalType"] = "Application" }
            : throw new OutpostException(ErrorCode.ResourceNotFound, $"No application with appId '{appId}' exists in this tenant; create it with POST /v1.0/applications.");
    }

    private static async Task RequireDirectoryWriterAsync(HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        var caller = ArmCaller.From(context.User);
        if (!TokenAudiences.Graph.Accepts(caller.Audience))
        {
            throw new OutpostException(ErrorCode.InvalidAuthenticationToken,
                $"The access token has audience '{caller.Audience}', which is not valid for this API. Request a token for scope '{TokenAudiences.Graph.Scope}'.");
        }

        var assignments = await services.Store.GetRoleAssignmentsForPrincipalAsync(caller.ObjectId, cancellationToken);
        var allowed = assignments.Any(assignment => BuiltInRoles.Find(assignment.RoleDefinitionId) is { } role
            && role.Allows("Microsoft.Authorization/roleAssignments/write"));
        if (!allowed)
        {
            throw new OutpostException(ErrorCode.AuthorizationFailed,
                $"The client '{caller.ClientId}' may not create applications: that needs Owner or User Access Administrator on a subscription.");
        }
    }
}

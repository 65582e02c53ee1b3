using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;

namespace Outpost.Management.IotHubs;

/// <summary>A hub's CA certificates: create or replace, get, list, and delete with the <c>If-Match</c> Azure requires.</summary>
internal static partial class IotHubCertificateEndpoints
{
    public static void MapIotHubCertificates(this IEndpointRouteBuilder management)
    {
        const string Item = IotHubEndpoints.Item + "/certificates/{certificateName}";
        management.MapPut(Item, PutAsync);
        management.MapGet(Item, GetAsync);
        management.MapDelete(Item, DeleteAsync);
        management.MapGet(IotHubEndpoints.Item + "/certificates", ListAsync);
    }

    private static async Task<IResult> PutAsync(string subscriptionId, string resourceGroupName, string resourceName, string certificateName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken)
    {
        var hub = await IotHubEndpoints.RequireAsync(subscriptionId, resourceGroupName, resourceName, "certificates/write", context, services, cancellationToken);
        if (!CertificateName().IsMatch(certificateName))
        {
            throw new OutpostException(ErrorCode.InvalidResourceName,
                $"The certificate name '{certificateName}' is invalid; use 1 to 64 letters, digits, '-', '.' and '_'.", "certificateName");
        }

        var body = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        var properties = ArmJson.OptionalObject(body, "properties", "properties") ?? [];
        using var certificate = IotHubCertificates.Parse(ArmJson.OptionalString(properties, "certificate", "properties.certificate"));
        var id = IotHubCertificates.Id(hub.Id, certificateName);
        var existing = await services.Store.GetResourceAsync(id, cancellationToken);
        RequireIfMatch(context, existing, required: false);
        var now = services.Time.GetUtcNow();
        var created = existing is null ? now : DateTimeOffset.Parse(ArmScopes.Body(existing)["properties"]!["created"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var resource = IotHubCertificates.Resource(hub.Id, subscriptionId, resourceGroupName, certificateName, certificate,
            ArmJson.OptionalBool(properties, "isVerified", "properties.isVerified") ?? false, null, created, now);
        await services.Store.CommitAsync(new StoreChangeSet().PutResource(resource, existing?.Version ?? 0), cancellationToken);
        return ArmJson.Ok(JsonNode.Parse(resource.Body)!, existing is null ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> GetAsync(string subscriptionId, string resourceGroupName, string resourceName, string certificateName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken)
    {
        var hub = await IotHubEndpoints.RequireAsync(subscriptionId, resourceGroupName, resourceName, "certificates/read", context, services, cancellationToken);
        return ArmJson.Ok(ArmScopes.Body(await RequireAsync(hub.Id, certificateName, services, cancellationToken)));
    }

    private static async Task<IResult> ListAsync(string subscriptionId, string resourceGroupName, string resourceName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken)
    {
        var hub = await IotHubEndpoints.RequireAsync(subscriptionId, resourceGroupName, resourceName, "certificates/read", context, services, cancellationToken);
        var certificates = await services.Store.GetResourcesAsync(new ResourceQuery(IotHubIds.CertificateType, subscriptionId, resourceGroupName, hub.Id), cancellationToken);
        return ArmJson.List(certificates.Select(certificate => certificate.Body));
    }

    private static async Task<IResult> DeleteAsync(string subscriptionId, string resourceGroupName, string resourceName, string certificateName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken)
    {
        var hub = await IotHubEndpoints.RequireAsync(subscriptionId, resourceGroupName, resourceName, "certificates/delete", context, services, cancellationToken);
        var existing = await services.Store.GetResourceAsync(IotHubCertificates.Id(hub.Id, certificateName), cancellationToken);
        if (existing is null)
        {
            return Results.NoContent();
        }

        RequireIfMatch(context, existing, required: true);
        await services.Store.CommitAsync(new StoreChangeSet().DeleteResourceTree(existing.Id), cancellationToken);
        return Results.Ok();
    }

    private static async Task<StoredResource> RequireAsync(string hubId, string certificateName, ManagementServices services, CancellationToken cancellationToken) =>
        await services.Store.GetResourceAsync(IotHubCertificates.Id(hubId, certificateName), cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceNotFound, $"The hub has no certificate '{certificateName}'.", "certificateName");

    /// <summary>If-Match must be "*" or the certificate's etag; Azure requires it on delete so a stale client cannot remove a newer certificate.</summary>
    private static void RequireIfMatch(HttpContext context, StoredResource? existing, bool required)
    {
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(ifMatch))
        {
            if (required)
            {
                throw new OutpostException(ErrorCode.InvalidRequestContent, "Deleting a certificate needs an If-Match header: its etag, or * for any version.", "If-Match");
            }

            return;
        }

        var etag = existing is null ? null : ArmScopes.Body(existing)["etag"]?.GetValue<string>();
        if (ifMatch != "*" && !string.Equals(ifMatch.Trim('"'), etag, StringComparison.Ordinal))
        {
            throw new OutpostException(ErrorCode.PreconditionFailed,
                $"If-Match '{ifMatch}' does not match the certificate's etag '{etag}'; it changed since you read it. Read it again and retry.", "If-Match");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9-._]{1,64}$")]
    private static partial Regex CertificateName();
}

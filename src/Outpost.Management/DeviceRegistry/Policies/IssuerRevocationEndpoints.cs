using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.DeviceRegistry.Credentials;
using Outpost.Management.IotHubs;

namespace Outpost.Management.DeviceRegistry.Policies;

/// <summary>
/// <c>POST …/policies/{policy}/revokeIssuer</c> (2026-03-01-preview): the policy's issuing CA is revoked and replaced
/// by a new one under the same root, the new one is synced at once into every hub linked to the namespace (replacing
/// the old one there), and devices connected with a certificate of the old CA are dropped. Every device must then get a
/// new certificate (DPS with a CSR).
/// </summary>
internal static class IssuerRevocationEndpoints
{
    public static void MapIssuerRevocation(this IEndpointRouteBuilder management)
    {
        management.MapPost(PolicyEndpoints.Item + "/revokeIssuer", RevokeIssuerAsync);
    }

    private static async Task<IResult> RevokeIssuerAsync(string subscriptionId, string resourceGroupName, string namespaceName, string credentialName, string policyName,
        HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        var (namespaceBody, credentialId) = await CredentialEndpoints.ResolveAsync(subscriptionId, resourceGroupName, namespaceName, credentialName, context, services,
            "policies/revokeIssuer/action", cancellationToken);
        var policyId = DeviceRegistryIds.Policy(credentialId, policyName);
        var policy = await PolicyEndpoints.RequireAsync(policyId, namespaceName, policyName, resourceGroupName, services, cancellationToken);
        var previous = await services.Store.GetSigningKeyAsync(policyId, cancellationToken)
            ?? throw new OutpostException(ErrorCode.InternalServerError, $"The issuing CA of policy '{policyName}' is missing from the store.");
        using var revokedCertificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(previous.CertificateDer);

        var changes = new StoreChangeSet();
        var body = ArmScopes.Body(policy);
        var now = services.Time.GetUtcNow();
        using var replacement = services.Authorities.RotateIssuing(changes, policyId, credentialId, await services.Authorities.GetRootAsync(credentialId, cancellationToken), body);
        var revokedIssuers = body["properties"]!["revokedIssuers"] as JsonArray ?? [];
        revokedIssuers.Add(new JsonObject
        {
            ["subject"] = revokedCertificate.Subject,
            ["thumbprint"] = revokedCertificate.Thumbprint,
            ["serialNumber"] = revokedCertificate.SerialNumber,
            ["revocationTime"] = ArmJson.Timestamp(now),
        });
        body["properties"]!["revokedIssuers"] = revokedIssuers.DeepClone();
        changes.PutResource(policy with { Body = body.ToJsonString() }, policy.Version);

        // The automatic sync: each linked hub that trusted the old CA for this policy trusts the new one instead.
        var hubs = await IotHubNamespaceLink.LinkedHubsAsync(namespaceBody, services.Store, cancellationToken);
        foreach (var hub in hubs)
        {
            var certificateId = IotHubCertificates.Id(hub.Id, policyName);
            if (await services.Store.GetResourceAsync(certificateId, cancellationToken) is { } synced
                && string.Equals(ArmScopes.Body(synced)["properties"]?["policyResourceId"]?.GetValue<string>(), body["id"]?.GetValue<string>(), StringComparison.OrdinalIgnoreCase))
            {
                changes.PutResource(IotHubCertificates.Resource(hub.Id, hub.SubscriptionId, hub.ResourceGroup!, policyName, replacement, isVerified: true,
                    body["id"]!.GetValue<string>(), now, now), synced.Version);
            }
        }

        var result = await services.Operations.CommitAcceptedAsync(context, changes, policyId, namespaceBody["location"]?.GetValue<string>() ?? "eastus", cancellationToken);
        await LinkedHubSessions.DisconnectIssuedByAsync(context, hubs, revokedCertificate.Thumbprint, cancellationToken);
        return result;
    }
}

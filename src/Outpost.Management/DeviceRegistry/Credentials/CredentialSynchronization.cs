using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.Authorization;
using Outpost.Management.IotHubs;

namespace Outpost.Management.DeviceRegistry.Credentials;

/// <summary>
/// <c>POST …/credentials/default/synchronize</c> (the portal's "Sync all"): copies every policy's issuing CA into each
/// hub linked to the namespace as a hub certificate carrying <c>policyResourceId</c>, so the hub trusts the devices
/// those policies issue to. Repeatable; a sync is never undone.
/// </summary>
internal static class CredentialSynchronization
{
    public static void MapCredentialSynchronization(this IEndpointRouteBuilder management)
    {
        management.MapPost(
            "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.DeviceRegistry/namespaces/{namespaceName}/credentials/{credentialName}/synchronize",
            SynchronizeAsync);
    }

    private static async Task<IResult> SynchronizeAsync(string subscriptionId, string resourceGroupName, string namespaceName, string credentialName,
        HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        var (namespaceBody, credentialId) = await CredentialEndpoints.ResolveAsync(subscriptionId, resourceGroupName, namespaceName, credentialName, context, services,
            "synchronize/action", cancellationToken);
        var credential = await CredentialEndpoints.RequireAsync(credentialId, namespaceName, resourceGroupName, services, cancellationToken);
        var hubs = await IotHubNamespaceLink.LinkedHubsAsync(namespaceBody, services.Store, cancellationToken);
        if (hubs.Count == 0)
        {
            throw new OutpostException(ErrorCode.Conflict,
                $"No IoT hub is linked to namespace '{namespaceName}', so there is nothing to synchronize. Create a GEN2 hub with properties.deviceRegistry.namespaceResourceId set to this namespace first.");
        }

        var principalId = namespaceBody["identity"]?["principalId"]?.GetValue<string>()
            ?? throw new OutpostException(ErrorCode.Conflict,
                $"Namespace '{namespaceName}' has no system-assigned identity, which synchronization acts as; enable identity.type SystemAssigned on it.");
        var policies = await services.Store.GetResourcesAsync(new ResourceQuery(DeviceRegistryIds.PolicyType, subscriptionId, resourceGroupName, credential.Id), cancellationToken);
        var changes = new StoreChangeSet();
        var now = services.Time.GetUtcNow();
        foreach (var hub in hubs)
        {
            var purpose = $"Synchronizing the credential of namespace '{namespaceName}' to IoT hub '{hub.Id}'";
            await services.Roles.RequireAsync(principalId, $"namespace '{namespaceName}''s system-assigned identity", BuiltInRoles.Contributor, hub.Id, purpose, null, cancellationToken);
            await services.Roles.RequireAsync(principalId, $"namespace '{namespaceName}''s system-assigned identity", BuiltInRoles.IotHubRegistryContributor, hub.Id, purpose, null, cancellationToken);
            foreach (var policy in policies)
            {
                await AddCertificateAsync(changes, hub, policy, now, services, cancellationToken);
            }
        }

        return await services.Operations.CommitAcceptedAsync(context, changes, credential.Id, namespaceBody["location"]!.GetValue<string>(), cancellationToken);
    }

    private static async Task AddCertificateAsync(StoreChangeSet changes, StoredResource hub, StoredResource policy, DateTimeOffset now, ManagementServices services,
        CancellationToken cancellationToken)
    {
        var policyName = ArmScopes.Body(policy)["name"]!.GetValue<string>();
        var issuing = await services.Store.GetSigningKeyAsync(policy.Id, cancellationToken)
            ?? throw new OutpostException(ErrorCode.InternalServerError, $"The issuing CA of policy '{policy.Id}' is missing from the store.");
        using var certificate = X509CertificateLoader.LoadCertificate(issuing.CertificateDer);
        var hubBody = ArmScopes.Body(hub);
        var existing = await services.Store.GetResourceAsync(IotHubCertificates.Id(hub.Id, policyName), cancellationToken);
        var policyId = ArmScopes.Body(policy)["id"]!.GetValue<string>();
        if (existing is not null && !string.Equals(ArmScopes.Body(existing)["properties"]?["policyResourceId"]?.GetValue<string>(), policyId, StringComparison.OrdinalIgnoreCase))
        {
            throw new OutpostException(ErrorCode.Conflict,
                $"IoT hub '{hubBody["name"]}' already has a certificate named '{policyName}' that did not come from this policy; rename or delete it so the policy's issuing CA can be synchronized under that name.");
        }

        // Synchronized issuing CAs come from the server's own PKI, so they are trusted anchors without a proof-of-possession step.
        changes.PutResource(IotHubCertificates.Resource(hub.Id, hub.SubscriptionId, hub.ResourceGroup!, policyName, certificate, isVerified: true, policyId, now, now), existing?.Version ?? 0);
    }
}

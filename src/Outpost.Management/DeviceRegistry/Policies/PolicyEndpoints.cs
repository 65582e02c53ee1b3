using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.DeviceRegistry.Credentials;

namespace Outpost.Management.DeviceRegistry.Policies;

/// <summary>
/// <c>Microsoft.DeviceRegistry/namespaces/credentials/policies</c>: each policy is an issuing CA signed by the
/// namespace root. After creation only the leaf validity and tags change; the key type is create-only.
/// </summary>
internal static class PolicyEndpoints
{
    private const string Credential = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.DeviceRegistry/namespaces/{namespaceName}/credentials/{credentialName}";
    internal const string Item = Credential + "/policies/{policyName}";

    public static void MapPolicies(this IEndpointRouteBuilder management)
    {
        management.MapPut(Item, PutAsync);
        management.MapGet(Item, GetAsync);
        management.MapMethods(Item, [HttpMethods.Patch], PatchAsync);
        management.MapDelete(Item, DeleteAsync);
        management.MapGet(Credential + "/policies", ListAsync);
        management.MapGet(Item + "/issuedCertificates", ListIssuedAsync);
    }

    /// <summary>
    /// Outpost extension: the certificates the policy's CA has issued (the issuance audit: subject, serial, validity,
    /// who asked), newest first. Azure shows no such list; operators of their own CA need one.
    /// </summary>
    private static async Task<IResult> ListIssuedAsync(string subscriptionId, string resourceGroupName, string namespaceName, string credentialName, string policyName,
        HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        var (_, credentialId) = await CredentialEndpoints.ResolveAsync(subscriptionId, resourceGroupName, namespaceName, credentialName, context, services, "read", cancellationToken);
        var id = DeviceRegistryIds.Policy(credentialId, policyName);
        await services.Access.DemandAsync(context.User, id, "Microsoft.DeviceRegistry/namespaces/credentials/policies/read", cancellationToken);
        await RequireAsync(id, namespaceName, policyName, resourceGroupName, services, cancellationToken);
        var records = await services.Store.GetAuditRecordsAsync(id, cancellationToken);
        return ArmJson.List(records.OrderByDescending(record => record.IssuedAt).Select(record => new JsonObject
        {
            ["subject"] = record.Subject,
            ["serialNumber"] = record.SerialNumber,
            ["thumbprint"] = record.Thumbprint,
            ["notBefore"] = ArmJson.Timestamp(record.NotBefore),
            ["notAfter"] = ArmJson.Timestamp(record.NotAfter),
            ["issuedAt"] = ArmJson.Timestamp(record.IssuedAt),
            ["requester"] = record.Requester,
        }.ToJsonString()));
    }

    private static async Task<IResult> PutAsync(string subscriptionId, string resourceGroupName, string namespaceName, string credentialName, string policyName,
        HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        ResourceNameRule.Policy.Validate(policyName);
        var (namespaceResource, credentialId) = await CredentialEndpoints.ResolveAsync(subscriptionId, resourceGroupName, namespaceName, credentialName, context, services, "write", cancellationToken);
        var id = DeviceRegistryIds.Policy(credentialId, policyName);
        var caller = await services.Access.DemandAsync(context.User, id, "Microsoft.DeviceRegistry/namespaces/credentials/policies/write", cancellationToken);
        var credential = await CredentialEndpoints.RequireAsync(credentialId, namespaceName, resourceGroupName, services, cancellationToken);
        var body = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        var settings = PolicySettings.FromPut(body, services.Options.Value.DefaultPolicyValidityDays);
        var existing = await services.Store.GetResourceAsync(id, cancellationToken);
        var now = services.Time.GetUtcNow();
        var changes = new StoreChangeSet();
        JsonObject resource;
        if (existing is null)
        {
            var siblings = await services.Store.GetResourcesAsync(new ResourceQuery(DeviceRegistryIds.PolicyType, subscriptionId, resourceGroupName, credential.Id), cancellationToken);
            var limit = services.Options.Value.MaxPoliciesPerCredential;
            if (siblings.Count >= limit)
            {
                throw new OutpostException(ErrorCode.Conflict,
                    $"The credential of namespace '{namespaceName}' already has {siblings.Count} policies, the most this server allows (Outpost:DeviceRegistry:MaxPoliciesPerCredential = {limit}). Delete one or raise the limit.");
            }

            var at = new ResourceLocation(id, policyName, subscriptionId, resourceGroupName, credential.Id);
            var root = await services.Authorities.GetRootAsync(credential.Id, cancellationToken);
            resource = services.Authorities.AddPolicy(changes, at, credential.Id, root, settings,
                ArmJson.OptionalString(body, "location", "location") ?? namespaceResource["location"]!.GetValue<string>(), ArmJson.Tags(body), SystemData.Create(caller, now));
        }
        else
        {
            resource = ArmScopes.Body(existing);
            var authority = resource["properties"]!["certificate"]!["certificateAuthorityConfiguration"]!;
            var currentKeyType = authority["keyType"]!.GetValue<string>();
            if (!string.Equals(currentKeyType, settings.KeyType, StringComparison.OrdinalIgnoreCase))
            {
                throw new OutpostException(ErrorCode.PropertyChangeNotAllowed,
                    $"keyType is set when a policy is created and cannot be changed (it is '{currentKeyType}', the request asks for '{settings.KeyType}').", PolicySettings.KeyTypePath);
            }

            resource["properties"]!["certificate"]!["leafCertificateConfiguration"]!["validityPeriodInDays"] = settings.ValidityPeriodInDays;
            resource["tags"] = ArmJson.Tags(body);
            resource["systemData"] = SystemData.Touch(resource["systemData"], caller, now);
            changes.PutResource(existing with { Body = resource.ToJsonString() }, existing.Version);
        }

        return await services.Operations.CommitPutAsync(context, changes, resource, created: existing is null, namespaceResource["location"]!.GetValue<string>(), cancellationToken);
    }

    /// <summary>
    /// PATCH changes <c>tags</c> and <c>validityPeriodInDays</c> only; the spec's patch model has nothing else, so any
    /// other property (keyType above all) is refused by name rather than silently ignored.
    /// </summary>
    private static async Task<IResult> PatchAsync(string subscriptionId, string resourceGroupName, string namespaceName, string credentialName, string policyName,
        HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        var (namespaceResource, credentialId) = await CredentialEndpoints.ResolveAsync(subscriptionId, resourceGroupName, namespaceName, credentialName, context, services, "write", cancellationToken);
        var id = DeviceRegistryIds.Policy(credentialId, policyName);
        var caller = await services.Access.DemandAsync(context.User, id, "Microsoft.DeviceRegistry/namespaces/credentials/policies/write", cancellationToken);
        var existing = await RequireAsync(id, namespaceName, policyName, resourceGroupName, services, cancellationToken);
        var patch = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        RefuseUnpatchable(patch);
        var resource = ArmScopes.Body(existing);
        if (PolicySettings.Validity(PolicySettings.Certificate(patch)?["leafCertificateConfiguration"] as JsonObject) is { } days)
        {
            resource["properties"]!["certificate"]!["leafCertificateConfiguration"]!["validityPeriodInDays"] = days;
        }

        resource["tags"] = ArmJson.Tags(patch, resource["tags"] as JsonObject);
        resource["systemData"] = SystemData.Touch(resource["systemData"], caller, services.Time.GetUtcNow());
        return await services.Operations.CommitAcceptedAsync(context, new StoreChangeSet().PutResource(existing with { Body = resource.ToJsonString() }, existing.Version),
            id, namespaceResource["location"]!.GetValue<string>(), cancellationToken);
    }

    private static async Task<IResult> GetAsync(string subscriptionId, string resourceGroupName, string namespaceName, string credentialName, string policyName,
        HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        var (_, credentialId) = await CredentialEndpoints.ResolveAsync(subscriptionId, resourceGroupName, namespaceName, credentialName, context, services, "read", cancellationToken);
        var id = DeviceRegistryIds.Policy(credentialId, policyName);
        await services.Access.DemandAsync(context.User, id, "Microsoft.DeviceRegistry/namespaces/credentials/policies/read", cancellationToken);
        return ArmJson.Ok(ArmScopes.Body(await RequireAsync(id, namespaceName, policyName, resourceGroupName, services, cancellationToken)));
    }

    /// <summary>
    /// Deletes the policy and its issuing CA key, and takes the CA out of the hubs linked to the namespace (the
    /// certificates synced from it), dropping devices connected with its certificates. Azure leaves a synced CA in the
    /// hubs until someone removes it; Outpost removes it with the policy, since a deleted policy's certificates can no
    /// longer be revoked one by one.
    /// </summary>
    private static async Task<IResult> DeleteAsync(string subscriptionId, string resourceGroupName, string namespaceName, string credentialName, string policyName,
        HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        var (namespaceResource, credentialId) = await CredentialEndpoints.ResolveAsync(subscriptionId, resourceGroupName, namespaceName, credentialName, context, services, "write", cancellationToken);
        var id = DeviceRegistryIds.Policy(credentialId, policyName);
        await services.Access.DemandAsync(context.User, id, "Microsoft.DeviceRegistry/namespaces/credentials/policies/delete", cancellationToken);
        var existing = await services.Store.GetResourceAsync(id, cancellationToken);
        if (existing is null)
        {
            return Results.NoContent();
        }

        var changes = new StoreChangeSet().DeleteResourceTree(existing.Id);
        var issuing = await services.Store.GetSigningKeyAsync(existing.Id, cancellationToken);
        var hubs = await IotHubs.IotHubNamespaceLink.LinkedHubsAsync(namespaceResource, services.Store, cancellationToken);
        var policyResourceId = ArmScopes.Body(existing)["id"]?.GetValue<string>() ?? existing.Id;
        foreach (var hub in hubs)
        {
            var certificates = await services.Store.GetResourcesAsync(new ResourceQuery(IotHubs.IotHubIds.CertificateType, hub.SubscriptionId, hub.ResourceGroup, hub.Id),
                cancellationToken);
            foreach (var synced in certificates.Where(certificate =>
                string.Equals(ArmScopes.Body(certificate)["properties"]?["policyResourceId"]?.GetValue<string>(), policyResourceId, StringComparison.OrdinalIgnoreCase)))
            {
                changes.DeleteResourceTree(synced.Id);
            }
        }

        var result = await services.Operations.CommitAcceptedAsync(context, changes, existing.Id, namespaceResource["location"]!.GetValue<string>(), cancellationToken);
        if (issuing is not null)
        {
            using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(issuing.CertificateDer);
            await IotHubs.LinkedHubSessions.DisconnectIssuedByAsync(context, hubs, certificate.Thumbprint, cancellationToken);
        }

        return result;
    }

    private static async Task<IResult> ListAsync(string subscriptionId, string resourceGroupName, string namespaceName, string credentialName,
        HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        var (_, credentialId) = await CredentialEndpoints.ResolveAsync(subscriptionId, resourceGroupName, namespaceName, credentialName, context, services, "read", cancellationToken);
        var credential = await CredentialEndpoints.RequireAsync(credentialId, namespaceName, resourceGroupName, services, cancellationToken);
        var policies = await services.Store.GetResourcesAsync(new ResourceQuery(DeviceRegistryIds.PolicyType, subscriptionId, resourceGroupName, credential.Id), cancellationToken);
        return ArmJson.List(policies.Select(policy => policy.Body));
    }

    private static void RefuseUnpatchable(JsonObject patch)
    {
        foreach (var (key, _) in patch)
        {
            if (key is not ("tags" or "properties"))
            {
                throw new OutpostException(ErrorCode.PropertyChangeNotAllowed,
                    $"'{key}' cannot be changed on a policy; a PATCH may change only tags and {PolicySettings.ValidityPath}.", key);
            }
        }

        var properties = ArmJson.OptionalObject(patch, "properties", "properties");
        foreach (var (key, _) in properties ?? [])
        {
            if (key != "certificate")
            {
                throw new OutpostException(ErrorCode.PropertyChangeNotAllowed,
                    $"'properties.{key}' cannot be changed on a policy; a PATCH may change only tags and {PolicySettings.ValidityPath}.", $"properties.{key}");
            }
        }

        var certificate = PolicySettings.Certificate(patch);
        foreach (var (key, value) in certificate ?? [])
        {
            if (key == "leafCertificateConfiguration" && value is JsonObject leaf && leaf.All(property => property.Key == "validityPeriodInDays"))
            {
                continue;
            }

            var path = key == "certificateAuthorityConfiguration" && value is JsonObject authority && authority.Count > 0
                ? $"{PolicySettings.CertificatePath}.{key}.{authority.First().Key}"
                : $"{PolicySettings.CertificatePath}.{key}";
            throw new OutpostException(ErrorCode.PropertyChangeNotAllowed,
                $"'{path}' is set when a policy is created and cannot be changed; a PATCH may change only tags and {PolicySettings.ValidityPath}. To use another value, create a new policy.",
                path);
        }
    }

    internal static async Task<StoredResource> RequireAsync(string id, string namespaceName, string policyName, string resourceGroupName, ManagementServices services, CancellationToken cancellationToken) =>
        await services.Store.GetResourceAsync(id, cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceNotFound,
                $"The Resource '{DeviceRegistryIds.PolicyType}/{namespaceName}/{DeviceRegistryIds.CredentialName}/{policyName}' under resource group '{resourceGroupName}' was not found.");
}

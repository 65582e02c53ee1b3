using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Pki.Authorities;
using Outpost.Pki.Revocation;

namespace Outpost.Management.DeviceRegistry.Devices;

/// <summary>
/// Each CA's certificate revocation list over HTTPS, anonymous as CRLs are (DER, <c>application/pkix-crl</c>, valid a day):
/// <c>GET /deviceCertificates/{namespace id}/credentials/default/crl</c> is the root's, listing the issuing CAs
/// revoked with <c>revokeIssuer</c>; <c>…/policies/{policy}/crl</c> is an issuing CA's, listing the device
/// certificates revoked with a device's <c>revoke</c>.
/// </summary>
internal static class RevocationListEndpoints
{
    private const string Namespace = "/deviceCertificates/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.DeviceRegistry/namespaces/{namespaceName}";

    public static void MapRevocationLists(this IEndpointRouteBuilder management)
    {
        management.MapGet(Namespace + "/credentials/default/crl", RootListAsync).AllowAnonymous();
        management.MapGet(Namespace + "/credentials/default/policies/{policyName}/crl", IssuingListAsync).AllowAnonymous();
    }

    private static async Task<IResult> RootListAsync(string subscriptionId, string resourceGroupName, string namespaceName, ManagementServices services,
        RevocationLists lists, CancellationToken cancellationToken)
    {
        var credentialId = DeviceRegistryIds.Credential(DeviceRegistryIds.Namespace(subscriptionId, resourceGroupName, namespaceName));
        var root = await RequireKeyAsync(credentialId, services, cancellationToken);
        var policies = await services.Store.GetResourcesAsync(new ResourceQuery(DeviceRegistryIds.PolicyType, subscriptionId, resourceGroupName, credentialId), cancellationToken);
        var revoked = policies.SelectMany(policy => ArmScopes.Body(policy)["properties"]?["revokedIssuers"] as JsonArray ?? [])
            .Select(entry => new RevokedCertificate(entry!["serialNumber"]!.GetValue<string>(), Time(entry["revocationTime"])));
        return Crl(lists.Sign(new CertificateAuthorityMaterial(root.CertificateDer, root.ProtectedPrivateKey), KeyOwners.For(credentialId), revoked));
    }

    private static async Task<IResult> IssuingListAsync(string subscriptionId, string resourceGroupName, string namespaceName, string policyName, ManagementServices services,
        RevocationLists lists, CancellationToken cancellationToken)
    {
        var namespaceId = DeviceRegistryIds.Namespace(subscriptionId, resourceGroupName, namespaceName);
        var policyId = DeviceRegistryIds.Policy(DeviceRegistryIds.Credential(namespaceId), policyName);
        var issuing = await RequireKeyAsync(policyId, services, cancellationToken);
        var policyResourceId = ArmScopes.Body(await services.Store.GetResourceAsync(policyId, cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceNotFound, $"Policy '{policyName}' of namespace '{namespaceName}' was not found."))["id"]!.GetValue<string>();
        var devices = await services.Store.GetResourcesAsync(new ResourceQuery(DeviceRevocationEndpoints.DeviceType, subscriptionId, resourceGroupName, namespaceId), cancellationToken);
        var revoked = devices.Select(ArmScopes.Body)
            .Where(device => string.Equals(device["properties"]?["policy"]?["resourceId"]?.GetValue<string>(), policyResourceId, StringComparison.OrdinalIgnoreCase))
            .SelectMany(device => (device["properties"]?["revokedCertificateSerialNumbers"] as JsonArray ?? [])
                .Select(serial => new RevokedCertificate(serial!.GetValue<string>(), Time(device["properties"]?["lastRevocationTime"]))));
        return Crl(lists.Sign(new CertificateAuthorityMaterial(issuing.CertificateDer, issuing.ProtectedPrivateKey), KeyOwners.For(policyId), revoked));
    }

    private static async Task<StoredSigningKey> RequireKeyAsync(string ownerId, ManagementServices services, CancellationToken cancellationToken) =>
        await services.Store.GetSigningKeyAsync(ownerId, cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceNotFound, $"No certificate authority exists at '{ownerId}'.");

    private static DateTimeOffset Time(JsonNode? value) =>
        value?.GetValue<string>() is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : DateTimeOffset.UnixEpoch;

    private static IResult Crl(byte[] der) => Results.Bytes(der, "application/pkix-crl");
}

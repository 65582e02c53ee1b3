using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.DeviceRegistry.Policies;
using Outpost.Pki.Authorities;

namespace Outpost.Management.DeviceRegistry;

/// <summary>
/// Creates the certificate authorities behind credentials (the namespace root) and policies (issuing CAs) and the
/// ARM JSON that describes them. Keys go into the same change set as the resource, so both land or neither does.
/// </summary>
internal sealed class RegistryAuthorities(CertificateAuthorityFactory factory, IOutpostStore store)
{
    /// <summary>Adds a credential with a new root CA to <paramref name="changes"/>; returns its JSON and its root, for policies created alongside.</summary>
    public (JsonObject Body, CertificateAuthorityMaterial Root) AddCredential(StoreChangeSet changes, ResourceLocation at, string namespaceName, string location, JsonObject tags, JsonObject systemData)
    {
        var root = factory.CreateRoot($"{namespaceName} root CA {Guid.NewGuid():N}", KeyOwners.For(at.Id), CertificateAuthorityFactory.DefaultRootLifetime);
        changes.PutSigningKey(new StoredSigningKey(at.Id, root.CertificateDer, root.ProtectedPrivateKey));
        var body = new JsonObject
        {
            ["id"] = at.Id,
            ["name"] = DeviceRegistryIds.CredentialName,
            ["type"] = DeviceRegistryIds.CredentialType,
            ["location"] = location,
            ["tags"] = tags,
            ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
            ["systemData"] = systemData,
        };
        changes.PutResource(at.Resource(DeviceRegistryIds.CredentialType, body), expectedVersion: 0);
        return (body, root);
    }

    /// <summary>Loads a credential's root CA, for a policy created later than its credential.</summary>
    public async Task<CertificateAuthorityMaterial> GetRootAsync(string credentialId, CancellationToken cancellationToken)
    {
        var key = await store.GetSigningKeyAsync(credentialId, cancellationToken)
            ?? throw new OutpostException(ErrorCode.InternalServerError, $"The root CA key of '{credentialId}' is missing from the store.");
        return new CertificateAuthorityMaterial(key.CertificateDer, key.ProtectedPrivateKey);
    }

    /// <summary>Adds a policy with a new issuing CA signed by <paramref name="root"/> and returns the policy's JSON.</summary>
    public JsonObject AddPolicy(StoreChangeSet changes, ResourceLocation at, string credentialId, CertificateAuthorityMaterial root,
        PolicySettings settings, string? location, JsonObject tags, JsonObject systemData)
    {
        // Azure names issuing CAs with a random hex common name (CN=07b5d73a70e046f288ddc64518bc517e in its examples).
        var issuing = factory.CreateIssuing(root, KeyOwners.For(credentialId), Guid.NewGuid().ToString("N"), KeyOwners.For(at.Id), CertificateAuthorityFactory.DefaultIssuingLifetime);
        changes.PutSigningKey(new StoredSigningKey(at.Id, issuing.CertificateDer, issuing.ProtectedPrivateKey));
        using var certificate = X509CertificateLoader.LoadCertificate(issuing.CertificateDer);
        var body = new JsonObject
        {
            ["id"] = at.Id,
            ["name"] = at.Name,
            ["type"] = DeviceRegistryIds.PolicyType,
            ["properties"] = new JsonObject
            {
                ["provisioningState"] = "Succeeded",
                ["certificate"] = new JsonObject
                {
                    ["certificateAuthorityConfiguration"] = new JsonObject
                    {
                        ["keyType"] = settings.KeyType,
                        ["subject"] = certificate.Subject,
                        ["validityNotBefore"] = ArmJson.Timestamp(certificate.NotBefore.ToUniversalTime()),
                        ["validityNotAfter"] = ArmJson.Timestamp(certificate.NotAfter.ToUniversalTime()),
                    },
                    ["leafCertificateConfiguration"] = new JsonObject { ["validityPeriodInDays"] = settings.ValidityPeriodInDays },
                },
            },
            ["tags"] = tags,
            ["systemData"] = systemData,
        };
        if (location is not null)
        {
            body["location"] = location;
        }

        changes.PutResource(at.Resource(DeviceRegistryIds.PolicyType, body), expectedVersion: 0);
        return body;
    }

    /// <summary>
    /// Replaces a policy's issuing CA with a new one signed by <paramref name="root"/> (the key replaces the old in the
    /// same commit) and updates the policy's description of it; returns the new CA certificate.
    /// </summary>
    public X509Certificate2 RotateIssuing(StoreChangeSet changes, string policyId, string credentialId, CertificateAuthorityMaterial root, JsonObject policyBody)
    {
        var issuing = factory.CreateIssuing(root, KeyOwners.For(credentialId), Guid.NewGuid().ToString("N"), KeyOwners.For(policyId), CertificateAuthorityFactory.DefaultIssuingLifetime);
        changes.PutSigningKey(new StoredSigningKey(policyId, issuing.CertificateDer, issuing.ProtectedPrivateKey));
        var certificate = X509CertificateLoader.LoadCertificate(issuing.CertificateDer);
        if (policyBody["properties"]?["certificate"]?["certificateAuthorityConfiguration"] is JsonObject authority)
        {
            authority["subject"] = certificate.Subject;
            authority["validityNotBefore"] = ArmJson.Timestamp(certificate.NotBefore.ToUniversalTime());
            authority["validityNotAfter"] = ArmJson.Timestamp(certificate.NotAfter.ToUniversalTime());
        }

        return certificate;
    }
}

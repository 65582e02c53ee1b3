using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Pki.Authorities;
using Outpost.Pki.Issuance;

namespace Outpost.Pki.Policies;

/// <summary>
/// Issues a device certificate from a namespace policy: loads the policy's issuing CA and the namespace root from
/// the store, runs the issuance pipeline and records the audit entry before the certificate is handed out, so no
/// certificate ever leaves the server unrecorded. Used by the management API and, later, by DPS registration.
/// </summary>
public sealed class PolicyCertificateService(IOutpostStore store, CertificateIssuer issuer, TimeProvider timeProvider)
{
    /// <param name="policyResourceId">The policy's ARM id; its parent credential holds the root CA.</param>
    /// <param name="identity">The registry identity the certificate is for; the CSR's CN must equal it and the leaf's CN will.</param>
    /// <param name="requester">Who asked (a client id or a DPS registration), for the audit log.</param>
    public async Task<IssuedCertificate> IssueAsync(string policyResourceId, int validityDays, byte[] csrDer, string identity, string requester,
        CancellationToken cancellationToken = default)
    {
        var audit = new StoreChangeSet();
        var issued = await IssueAsync(policyResourceId, validityDays, csrDer, identity, requester, audit, cancellationToken);
        await store.CommitAsync(audit, cancellationToken);
        return issued;
    }

    /// <summary>
    /// Issues with the validity the policy sets for leaves (<c>leafCertificateConfiguration.validityPeriodInDays</c>),
    /// adding the audit record to <paramref name="changes"/>: what DPS registration and hub renewal both do.
    /// </summary>
    public async Task<IssuedCertificate> IssueFromPolicyAsync(string policyResourceId, byte[] csrDer, string identity, string requester, StoreChangeSet changes,
        CancellationToken cancellationToken = default)
    {
        var policy = await store.GetResourceAsync(policyResourceId, cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceNotFound, $"The credential policy '{policyResourceId}' no longer exists.");
        var days = System.Text.Json.Nodes.JsonNode.Parse(policy.Body)?["properties"]?["certificate"]?["leafCertificateConfiguration"]?["validityPeriodInDays"]?.GetValue<int>()
            ?? throw new OutpostException(ErrorCode.InternalServerError, $"The credential policy '{policyResourceId}' has no leaf validity period.");
        return await IssueAsync(policy.Id, days, csrDer, identity, requester, changes, cancellationToken);
    }

    /// <summary>
    /// Issues and adds the audit record to <paramref name="changes"/> instead of committing it, for callers that hand
    /// the certificate out only after committing their own changes with it (DPS registration does, in one write).
    /// </summary>
    public async Task<IssuedCertificate> IssueAsync(string policyResourceId, int validityDays, byte[] csrDer, string identity, string requester,
        StoreChangeSet changes, CancellationToken cancellationToken = default)
    {
        var credentialId = policyResourceId[..policyResourceId.LastIndexOf("/policies/", StringComparison.OrdinalIgnoreCase)];
        var issuing = await store.GetSigningKeyAsync(policyResourceId, cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceNotFound, $"The policy '{policyResourceId}' has no issuing CA; it may have been deleted.");
        var root = await store.GetSigningKeyAsync(credentialId, cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceNotFound, $"The credential '{credentialId}' has no root CA; it may have been deleted.");

        var issued = issuer.Issue(
            new IssuanceRequest(csrDer, identity, validityDays, policyResourceId, requester),
            new CertificateAuthorityMaterial(issuing.CertificateDer, issuing.ProtectedPrivateKey),
            KeyOwners.For(policyResourceId),
            new CertificateAuthorityMaterial(root.CertificateDer, root.ProtectedPrivateKey));

        changes.AppendAudit(new IssuanceAuditRecord(
            issued.SerialNumber, issued.Subject, issued.Thumbprint, policyResourceId, requester, issued.NotBefore, issued.NotAfter, timeProvider.GetUtcNow()));
        return issued;
    }
}

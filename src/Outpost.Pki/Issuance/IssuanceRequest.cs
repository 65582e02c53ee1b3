namespace Outpost.Pki.Issuance;

/// <summary>A request to issue a device (leaf) certificate.</summary>
/// <param name="CsrDer">The device's PKCS#10 certificate signing request, DER bytes (base64-decoded, no PEM armour).</param>
/// <param name="Identity">The device identity (DPS registration ID / device ID); the CSR's CN must equal it exactly.</param>
/// <param name="ValidityDays">Leaf lifetime in days, 1..3650. The policy's 7..90 rule is enforced by the caller.</param>
/// <param name="PolicyResourceId">The ARM id of the policy whose issuing CA signs, for the audit trail.</param>
/// <param name="Requester">Who asked (device, operator), for the audit trail.</param>
public sealed record IssuanceRequest(byte[] CsrDer, string Identity, int ValidityDays, string PolicyResourceId, string Requester);

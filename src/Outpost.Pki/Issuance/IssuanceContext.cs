using System.Security.Cryptography.X509Certificates;
using Outpost.Pki.Certificates;

namespace Outpost.Pki.Issuance;

/// <summary>The inputs of one issuance, shared by every pipeline step. Steps read it; they never change it.</summary>
/// <param name="Request">The caller's request.</param>
/// <param name="Csr">The decoded CSR.</param>
/// <param name="CsrSignatureVerified">Whether the CSR's self-signature verified; <see cref="CsrSignatureValidator"/> refuses it if not.</param>
/// <param name="Issuer">The issuing CA certificate (public part only).</param>
/// <param name="IssuerValidity">The issuing CA's validity window, UTC.</param>
/// <param name="Now">The time of issuance.</param>
/// <param name="Options">Issuance settings.</param>
internal sealed record IssuanceContext(
    IssuanceRequest Request,
    CertificateRequest Csr,
    bool CsrSignatureVerified,
    X509Certificate2 Issuer,
    CertificateValidity IssuerValidity,
    DateTimeOffset Now,
    PkiOptions Options);

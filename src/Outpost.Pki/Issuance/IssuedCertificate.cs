namespace Outpost.Pki.Issuance;

/// <summary>A certificate the issuing CA signed, with the chain to return to the device.</summary>
/// <param name="LeafDer">The leaf certificate, DER.</param>
/// <param name="ChainDer">The chain, DER, in order: leaf, issuing CA, root.</param>
/// <param name="SerialNumber">The serial number as upper-case hex, as in the certificate (leading zero bytes dropped).</param>
/// <param name="Subject">The leaf subject, e.g. <c>CN=device-001</c>.</param>
/// <param name="NotBefore">Start of validity, UTC.</param>
/// <param name="NotAfter">End of validity, UTC.</param>
/// <param name="Thumbprint">SHA-256 of the leaf DER, upper-case hex.</param>
public sealed record IssuedCertificate(
    byte[] LeafDer,
    IReadOnlyList<byte[]> ChainDer,
    string SerialNumber,
    string Subject,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Thumbprint);

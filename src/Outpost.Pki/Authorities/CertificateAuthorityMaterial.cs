namespace Outpost.Pki.Authorities;

/// <summary>
/// What is stored for a CA: its certificate (DER) and its PKCS#8 private key encrypted by
/// <see cref="KeyProtection.KeyProtector"/>. Never the plain key.
/// </summary>
/// <remarks>
/// The generated <c>ToString</c> prints the arrays as <c>System.Byte[]</c>, so logging this record reveals nothing.
/// Equality compares the arrays by reference, as for any record with array members.
/// </remarks>
public sealed record CertificateAuthorityMaterial(byte[] CertificateDer, byte[] ProtectedPrivateKey);

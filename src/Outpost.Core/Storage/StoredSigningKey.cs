namespace Outpost.Core.Storage;

/// <summary>
/// A certificate authority or token-signing key: its certificate and its private key, encrypted by the key-encryption
/// key that lives outside the database. <paramref name="OwnerId"/> is the resource that owns the key, e.g. a
/// credential or policy id, and is also bound into the encryption as associated data.
/// </summary>
public sealed record StoredSigningKey(string OwnerId, byte[] CertificateDer, byte[] ProtectedPrivateKey);

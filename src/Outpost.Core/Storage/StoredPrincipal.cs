namespace Outpost.Core.Storage;

/// <summary>What kind of security principal an object id names.</summary>
public enum PrincipalKind
{
    /// <summary>An application that signs in with client credentials (the bootstrap admin, for one).</summary>
    ServicePrincipal,

    /// <summary>The system-assigned identity of a resource; it lives and dies with <see cref="StoredPrincipal.OwnerResourceId"/>.</summary>
    SystemAssignedIdentity,

    /// <summary>A user-assigned managed identity resource.</summary>
    UserAssignedIdentity,
}

/// <summary>
/// A principal that can hold role assignments. <paramref name="SecretHash"/> is a salted hash, never the secret.
/// </summary>
public sealed record StoredPrincipal(
    string ObjectId,
    string ClientId,
    string DisplayName,
    PrincipalKind Kind,
    string? SecretHash,
    string? OwnerResourceId);

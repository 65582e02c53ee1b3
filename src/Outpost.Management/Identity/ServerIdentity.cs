using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Outpost.Management.Identity;

/// <summary>
/// The tenant, the default subscription and the key that signs access tokens, as the bootstrap left them. Filled
/// once at start, before any listener accepts a request.
/// </summary>
internal sealed class ServerIdentity : IDisposable
{
    private ECDsa? signingKey;

    public string TenantId { get; private set; } = string.Empty;

    public string SubscriptionId { get; private set; } = string.Empty;

    public ECDsaSecurityKey SecurityKey { get; private set; } = null!;

    public void Initialize(string tenantId, string subscriptionId, ECDsa tokenSigningKey, string keyId)
    {
        TenantId = tenantId;
        SubscriptionId = subscriptionId;
        signingKey = tokenSigningKey;
        SecurityKey = new ECDsaSecurityKey(tokenSigningKey) { KeyId = keyId };
    }

    public void Dispose() => signingKey?.Dispose();
}

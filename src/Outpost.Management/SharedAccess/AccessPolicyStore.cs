using System.Text;
using Outpost.Core.SharedAccess;
using Outpost.Core.Storage;
using Outpost.Pki.KeyProtection;

namespace Outpost.Management.SharedAccess;

/// <summary>Keeps shared access policies encrypted by the key-encryption key, bound to the resource that owns them.</summary>
internal sealed class AccessPolicyStore(IOutpostStore store, KeyProtector protector) : IAccessPolicies
{
    public void Put(StoreChangeSet changes, string ownerId, IReadOnlyList<AccessRule> rules) =>
        changes.PutAccessPolicies(new StoredAccessPolicies(ownerId, protector.Protect(Encoding.UTF8.GetBytes(AccessRuleSet.Serialize(rules)), Owner(ownerId))));

    public async Task<IReadOnlyList<AccessRule>> GetAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        var stored = await store.GetAccessPoliciesAsync(ownerId, cancellationToken);
        return stored is null ? [] : AccessRuleSet.Deserialize(Encoding.UTF8.GetString(protector.Unprotect(stored.ProtectedRules, Owner(ownerId))));
    }

    private static string Owner(string ownerId) => "access-policies:" + ownerId.ToLowerInvariant();
}

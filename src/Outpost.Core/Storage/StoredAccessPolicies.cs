namespace Outpost.Core.Storage;

/// <summary>
/// The shared access policies of a hub or DPS instance (key names, rights and keys), as one blob encrypted by the
/// key-encryption key: the keys sign SAS tokens, so they are secrets and never part of the resource JSON.
/// </summary>
public sealed record StoredAccessPolicies(string OwnerId, byte[] ProtectedRules);

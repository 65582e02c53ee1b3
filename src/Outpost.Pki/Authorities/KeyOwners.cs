namespace Outpost.Pki.Authorities;

/// <summary>
/// The associated data a CA key is encrypted with: its owner's resource id, lower-cased because ARM ids compare
/// case-insensitively and a key must open whichever casing a request used.
/// </summary>
public static class KeyOwners
{
    public static string For(string resourceId) => resourceId.ToLowerInvariant();
}

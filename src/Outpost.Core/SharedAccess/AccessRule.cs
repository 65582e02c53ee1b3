namespace Outpost.Core.SharedAccess;

/// <summary>One shared access policy: a key name, its two keys (base64) and its rights, e.g. "RegistryWrite, ServiceConnect".</summary>
public sealed record AccessRule(string KeyName, string PrimaryKey, string SecondaryKey, string Rights)
{
    public IReadOnlyList<string> RightList => Rights.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public bool Grants(string right) => RightList.Contains(right, StringComparer.OrdinalIgnoreCase);
}

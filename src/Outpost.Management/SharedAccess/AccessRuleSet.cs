using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Outpost.Core.Errors;
using Outpost.Core.SharedAccess;
using Outpost.Management.Arm;

namespace Outpost.Management.SharedAccess;

/// <summary>
/// The shared access policies a resource kind has: the rights it knows (in Azure's canonical order) and the policies
/// a new resource gets. Reads a request's <c>authorizationPolicies</c>, keeping keys the client did not send.
/// </summary>
internal sealed record AccessRuleSet(IReadOnlyList<string> KnownRights, IReadOnlyList<(string KeyName, string Rights)> Defaults)
{
    public static readonly AccessRuleSet IotHub = new(
        ["RegistryRead", "RegistryWrite", "ServiceConnect", "DeviceConnect"],
        [
            ("iothubowner", "RegistryWrite, ServiceConnect, DeviceConnect"),
            ("service", "ServiceConnect"),
            ("device", "DeviceConnect"),
            ("registryRead", "RegistryRead"),
            ("registryReadWrite", "RegistryWrite"),
        ]);

    public static readonly AccessRuleSet ProvisioningService = new(
        ["ServiceConfig", "DeviceConnect", "EnrollmentRead", "EnrollmentWrite", "RegistrationStatusRead", "RegistrationStatusWrite"],
        [("provisioningserviceowner", "ServiceConfig, DeviceConnect, EnrollmentWrite")]);

    /// <summary>
    /// The policies after a PUT: the defaults for a new resource without <c>authorizationPolicies</c>, the current ones
    /// for an update without it, or exactly the requested ones, with keys generated where none were sent or kept.
    /// </summary>
    public IReadOnlyList<AccessRule> Resolve(JsonArray? requested, IReadOnlyList<AccessRule>? current)
    {
        if (requested is null)
        {
            return current ?? [.. Defaults.Select(rule => new AccessRule(rule.KeyName, NewKey(), NewKey(), rule.Rights))];
        }

        var rules = new List<AccessRule>();
        for (var index = 0; index < requested.Count; index++)
        {
            var path = $"properties.authorizationPolicies[{index}]";
            var item = requested[index] as JsonObject ?? throw new OutpostException(ErrorCode.InvalidRequestContent, $"'{path}' must be an object with keyName and rights.", path);
            var keyName = ArmJson.OptionalString(item, "keyName", path + ".keyName");
            if (string.IsNullOrWhiteSpace(keyName) || keyName.Length > 64 || !keyName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                throw new OutpostException(ErrorCode.InvalidParameter, $"'{path}.keyName' must be 1 to 64 letters, digits, '-', '_' or '.', but it is '{keyName}'.", path + ".keyName");
            }

            if (rules.Any(rule => string.Equals(rule.KeyName, keyName, StringComparison.OrdinalIgnoreCase)))
            {
                throw new OutpostException(ErrorCode.InvalidParameter, $"The shared access policy '{keyName}' appears twice.", path + ".keyName");
            }

            var kept = current?.FirstOrDefault(rule => string.Equals(rule.KeyName, keyName, StringComparison.OrdinalIgnoreCase));
            rules.Add(new AccessRule(
                keyName,
                Key(item, "primaryKey", path) ?? kept?.PrimaryKey ?? NewKey(),
                Key(item, "secondaryKey", path) ?? kept?.SecondaryKey ?? NewKey(),
                Rights(ArmJson.OptionalString(item, "rights", path + ".rights"), path + ".rights")));
        }

        return rules;
    }

    /// <summary>The policies as Azure's <c>listKeys</c> shows them, or without keys for a resource's own JSON.</summary>
    public static JsonArray ToJson(IEnumerable<AccessRule> rules, bool withKeys) => new([.. rules.Select(rule =>
    {
        var item = new JsonObject { ["keyName"] = rule.KeyName };
        if (withKeys)
        {
            item["primaryKey"] = rule.PrimaryKey;
            item["secondaryKey"] = rule.SecondaryKey;
        }

        item["rights"] = rule.Rights;
        return (JsonNode)item;
    })]);

    /// <summary>One policy by name, or a refusal that lists the names there are.</summary>
    public static AccessRule Find(IReadOnlyList<AccessRule> rules, string keyName, string owner) =>
        rules.FirstOrDefault(candidate => string.Equals(candidate.KeyName, keyName, StringComparison.OrdinalIgnoreCase))
        ?? throw new OutpostException(ErrorCode.ResourceNotFound,
            $"The {owner} has no shared access policy '{keyName}'; it has {string.Join(", ", rules.Select(known => known.KeyName))}.", "keyName");

    public static string Serialize(IReadOnlyList<AccessRule> rules) => JsonSerializer.Serialize(rules);

    public static IReadOnlyList<AccessRule> Deserialize(string json) => JsonSerializer.Deserialize<List<AccessRule>>(json) ?? [];

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private string Rights(string? rights, string path)
    {
        var requested = (rights ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = requested.Where(right => !KnownRights.Contains(right, StringComparer.OrdinalIgnoreCase)).ToList();
        if (requested.Length == 0 || unknown.Count > 0)
        {
            throw new OutpostException(ErrorCode.InvalidParameter,
                $"'{path}' is '{rights}'; it must be a comma-separated combination of {string.Join(", ", KnownRights)}.", path);
        }

        return string.Join(", ", KnownRights.Where(right => requested.Contains(right, StringComparer.OrdinalIgnoreCase)));
    }

    private static string? Key(JsonObject item, string name, string path)
    {
        var key = ArmJson.OptionalString(item, name, $"{path}.{name}");
        if (key is null)
        {
            return null;
        }

        var bytes = new byte[64];
        if (!Convert.TryFromBase64String(key, bytes, out var length) || length < 16)
        {
            throw new OutpostException(ErrorCode.InvalidParameter, $"'{path}.{name}' must be base64 of 16 to 64 bytes.", $"{path}.{name}");
        }

        return key;
    }
}

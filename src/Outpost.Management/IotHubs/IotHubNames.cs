using System.Text.RegularExpressions;

namespace Outpost.Management.IotHubs;

/// <summary>Hub names: 3–50 letters, digits and '-', not all digits, not starting or ending with '-' (Azure's pattern).</summary>
internal static partial class IotHubNames
{
    /// <summary>Null when the name is valid, else what is wrong with it.</summary>
    public static string? Problem(string name)
    {
        if (name.Length is < 3 or > 50)
        {
            return $"The IoT hub name '{name}' has {name.Length} characters; it must have 3 to 50.";
        }

        return Pattern().IsMatch(name)
            ? null
            : $"The IoT hub name '{name}' is invalid: use letters, digits and '-', not all digits, and do not start or end with '-'.";
    }

    [GeneratedRegex("^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{2,49}[a-zA-Z0-9]$")]
    private static partial Regex Pattern();
}

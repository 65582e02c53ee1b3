using System.Text.RegularExpressions;
using Outpost.Core.Errors;

namespace Outpost.Management.ResourceGroups;

/// <summary>ARM's resource group name rule: 1–90 characters of letters, digits, '-', '_', '.', '(' and ')', not ending in '.'.</summary>
internal static partial class ResourceGroupNames
{
    public static void Validate(string name)
    {
        if (name.Length is 0 or > 90 || !Allowed().IsMatch(name) || name.EndsWith('.'))
        {
            throw new OutpostException(ErrorCode.InvalidResourceName,
                $"Resource group name '{name}' is invalid. It must be 1 to 90 characters of letters, digits, '-', '_', '.', '(' and ')', and must not end with '.'.",
                "resourceGroupName");
        }
    }

    [GeneratedRegex(@"^[-\w\._\(\)]+$")]
    private static partial Regex Allowed();
}

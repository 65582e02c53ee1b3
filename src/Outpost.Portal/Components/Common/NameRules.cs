namespace Outpost.Portal.Components.Common;

/// <summary>
/// The name rules the create forms check as the user types, worded as the walkthrough words them. The server checks
/// them again and has the last word; these only spare the user a round trip.
/// </summary>
internal static class NameRules
{
    /// <summary>ADR namespaces: 3–64 lower-case letters, digits and inner hyphens.</summary>
    public static string? Namespace(string name) => LowerCase(name, 3, 64, "namespace");

    /// <summary>Credential policies: 3–50 lower-case letters, digits and inner hyphens.</summary>
    public static string? Policy(string name) => LowerCase(name, 3, 50, "policy");

    /// <summary>IoT hubs: 3–50 letters, digits and hyphens, not ending in a hyphen and not all digits.</summary>
    public static string? Hub(string name) =>
        name.Length is < 3 or > 50 ? $"The name must be 3 to 50 characters long ({name.Length} now)."
        : !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? "Only letters, digits and hyphens ('-') are allowed."
        : name.StartsWith('-') || name.EndsWith('-') ? "The name cannot start or end with a hyphen."
        : name.All(char.IsAsciiDigit) ? "The name cannot be only digits."
        : null;

    /// <summary>DPS instances: 3–64 letters, digits and inner hyphens.</summary>
    public static string? Dps(string name) =>
        name.Length is < 3 or > 64 ? $"The name must be 3 to 64 characters long ({name.Length} now)."
        : !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? "Only letters, digits and hyphens ('-') are allowed."
        : name.StartsWith('-') || name.EndsWith('-') ? "The name cannot start or end with a hyphen."
        : null;

    /// <summary>User-assigned identities: 3–128 letters, digits, hyphens and underscores, starting with a letter or digit.</summary>
    public static string? Identity(string name) =>
        name.Length is < 3 or > 128 ? $"The name must be 3 to 128 characters long ({name.Length} now)."
        : !char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? "Letters, digits, hyphens and underscores only, starting with a letter or digit."
        : null;

    private static string? LowerCase(string name, int min, int max, string kind) =>
        name.Length < min || name.Length > max ? $"The {kind} name must be {min} to {max} characters long ({name.Length} now)."
        : name.Any(char.IsUpper) ? "Only lower-case letters are allowed."
        : !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? "Only letters, digits and hyphens ('-') are allowed."
        : name.StartsWith('-') || name.EndsWith('-') ? "Hyphens are allowed only in the middle of the name, not at the beginning or end."
        : null;
}

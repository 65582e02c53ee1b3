using Outpost.Core.Errors;

namespace Outpost.Management.DeviceRegistry;

/// <summary>
/// Names made of lower-case letters, digits and inner hyphens, within a length range. Every broken rule is reported,
/// each saying which rule and which value, so a user fixes the name in one go.
/// </summary>
internal sealed record ResourceNameRule(string Kind, int MinLength, int MaxLength, string Target)
{
    /// <summary>Namespaces: 3–64 characters, <c>^[a-z0-9][a-z0-9-]*[a-z0-9]$</c> (the REST spec; the portal says the same in words).</summary>
    public static readonly ResourceNameRule Namespace = new("namespace", 3, 64, "namespaceName");

    /// <summary>
    /// Policies: the REST spec allows 3–63 characters of mixed case, the portal 3–50; Outpost takes the stricter of
    /// both and the namespace's lower-case rule, so a name accepted here is accepted by every Azure client too.
    /// </summary>
    public static readonly ResourceNameRule Policy = new("policy", 3, 50, "policyName");

    public void Validate(string name)
    {
        var problems = new List<string>();
        if (name.Length < MinLength)
        {
            problems.Add($"it is too short ({name.Length} characters; at least {MinLength} are required)");
        }

        if (name.Length > MaxLength)
        {
            problems.Add($"it is too long ({name.Length} characters; at most {MaxLength} are allowed)");
        }

        if (name.Any(char.IsUpper))
        {
            problems.Add("it contains upper-case letters; only lower-case letters are allowed");
        }

        var invalid = name.Where(c => !char.IsAsciiLetterOrDigit(c) && c != '-').Distinct().ToArray();
        if (invalid.Length > 0)
        {
            problems.Add($"it contains {string.Join(", ", invalid.Select(c => $"'{c}'"))}; only letters, digits and hyphens are allowed");
        }

        if (name.StartsWith('-') || name.EndsWith('-'))
        {
            problems.Add("it starts or ends with a hyphen; the first and last characters must be a letter or digit");
        }

        if (problems.Count > 0)
        {
            throw new OutpostException(ErrorCode.InvalidResourceName,
                $"The {Kind} name '{name}' is invalid: {string.Join("; ", problems)}. A {Kind} name must be {MinLength} to {MaxLength} lower-case letters, digits and hyphens, starting and ending with a letter or digit.",
                Target);
        }
    }
}

using Outpost.Core.Errors;

namespace Outpost.Management.Arm;

/// <summary>
/// Section <c>Outpost:Regions</c>: the locations hubs, DPS instances and namespaces may be created in. Default: the
/// regions where Azure offers the Device Registry integration in preview (the walkthrough's "certain regions").
/// </summary>
public sealed class RegionOptions
{
    public const string SectionName = "Outpost";

    /// <summary>Location names as ARM writes them (lower case, no spaces). Default eastus, eastus2, westus, westus2, westeurope, northeurope.</summary>
    public IList<string> Regions { get; } = [];

    internal static readonly IReadOnlyList<string> Defaults = ["eastus", "eastus2", "westus", "westus2", "westeurope", "northeurope"];

    internal IReadOnlyList<string> Effective => Regions.Count > 0 ? [.. Regions.Select(LongRunningOperations.NormalizeLocation)] : Defaults;

    /// <summary>Returns the normalised location, or refuses one this server does not offer, listing those it does.</summary>
    internal string Require(string location, string resourceType)
    {
        var normalized = LongRunningOperations.NormalizeLocation(location);
        return Effective.Contains(normalized)
            ? normalized
            : throw new OutpostException(ErrorCode.LocationNotAvailableForResourceType,
                $"The provided location '{location}' is not available for resource type '{resourceType}'. List of available regions for the resource type is '{string.Join(",", Effective)}'. Set Outpost:Regions to offer others.",
                "location");
    }
}

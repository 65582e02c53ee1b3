using Outpost.Core.Errors;

namespace Outpost.Core.Hubs;

/// <summary>
/// An IoT hub pricing tier: its tier family, how many units it may have and how many messages a unit allows a day
/// (Azure's published quotas; the GEN2 preview tier's quota is unpublished, so it gets S1's).
/// </summary>
public sealed record IotHubSku(string Name, string Tier, int MaxUnits, long DailyMessagesPerUnit, int MaxDevices)
{
    public static readonly IReadOnlyList<IotHubSku> All =
    [
        new("F1", "Free", 1, 8_000, 500),
        new("B1", "Basic", 200, 400_000, 1_000_000),
        new("B2", "Basic", 200, 6_000_000, 1_000_000),
        new("B3", "Basic", 10, 300_000_000, 1_000_000),
        new("S1", "Standard", 200, 400_000, 1_000_000),
        new("S2", "Standard", 200, 6_000_000, 1_000_000),
        new("S3", "Standard", 10, 300_000_000, 1_000_000),
        new("GEN2", "Generation2", 10, 400_000, 1_000_000),
    ];

    public static IotHubSku Find(string? name) =>
        All.FirstOrDefault(sku => string.Equals(sku.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new OutpostException(ErrorCode.InvalidParameter,
            $"The SKU '{name}' is not offered; choose one of {string.Join(", ", All.Select(sku => sku.Name))} (GEN2 is the Preview tier that links a Device Registry namespace).",
            "sku.name");

    public int RequireUnits(int? capacity)
    {
        var units = capacity ?? 1;
        return units >= 1 && units <= MaxUnits
            ? units
            : throw new OutpostException(ErrorCode.InvalidParameter, $"sku.capacity is {units}, but the {Name} tier allows 1 to {MaxUnits} units.", "sku.capacity");
    }

    /// <summary>
    /// Azure scales within a tier and from Basic up to Standard, never down, and never into or out of Free or the
    /// preview tier.
    /// </summary>
    public void RequireChangeTo(IotHubSku next)
    {
        if (next.Tier == Tier || (Tier == "Basic" && next.Tier == "Standard"))
        {
            return;
        }

        throw new OutpostException(ErrorCode.PropertyChangeNotAllowed,
            $"A {Tier} hub ({Name}) cannot move to the {next.Tier} tier ({next.Name}); only changes within a tier and from Basic to Standard are allowed.", "sku.name");
    }
}

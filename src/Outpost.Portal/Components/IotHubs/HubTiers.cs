namespace Outpost.Portal.Components.IotHubs;

/// <summary>
/// The tiers the create flow offers, as the Azure portal lists them, with the messages a unit allows a day (Azure's
/// published quotas; the preview tier's is unpublished, and the server gives it S1's). The server checks the choice.
/// </summary>
internal static class HubTiers
{
    public static readonly IReadOnlyList<(string Sku, string Label, long DailyPerUnit, int MaxUnits)> All =
    [
        ("GEN2", "Preview (GEN2: Device Registry integration)", 400_000, 10),
        ("F1", "Free", 8_000, 1),
        ("B1", "Basic B1", 400_000, 200),
        ("B2", "Basic B2", 6_000_000, 200),
        ("B3", "Basic B3", 300_000_000, 10),
        ("S1", "Standard S1", 400_000, 200),
        ("S2", "Standard S2", 6_000_000, 200),
        ("S3", "Standard S3", 300_000_000, 10),
    ];

    /// <summary>The daily message limits a tier offers: one per number of units, as "See all options" lists them.</summary>
    private static readonly int[] UnitChoices = [1, 2, 5, 10, 50, 100, 200];

    public static IEnumerable<(int Units, string Label)> Limits(string sku)
    {
        var tier = All.FirstOrDefault(tier => tier.Sku == sku);
        foreach (var units in UnitChoices.Where(units => units <= tier.MaxUnits))
        {
            yield return (units, $"{tier.DailyPerUnit * units:N0} messages/day ({units} unit{(units == 1 ? string.Empty : "s")})");
        }
    }
}

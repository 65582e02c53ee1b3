using Outpost.Core.Storage;

namespace Outpost.Storage.Sqlite.Tests;

public sealed class SqliteActivityLogTests : IDisposable
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private const string GroupA = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/a";
    private const string HubA = GroupA + "/providers/Microsoft.Devices/IotHubs/hub";
    private const string NamespaceB = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/b/providers/Microsoft.DeviceRegistry/namespaces/ns";

    private static readonly DateTimeOffset Start = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly TemporaryStore temporary = new();

    public void Dispose() => temporary.Dispose();

    private SqliteOutpostStore Store => temporary.Store;

    [Fact]
    public async Task EntriesComeNewestFirstNarrowedByEachFilterAndPageWithoutGapsOrRepeats()
    {
        var ct = TestContext.Current.CancellationToken;
        var changes = new StoreChangeSet();
        for (var minute = 0; minute < 5; minute++)
        {
            changes.AppendActivity(Entry(HubA, "A", "Microsoft.Devices", $"hub-{minute}", Start.AddMinutes(minute)));
            changes.AppendActivity(Entry(NamespaceB, "B", "Microsoft.DeviceRegistry", $"ns-{minute}", Start.AddMinutes(minute)));
        }

        await Store.CommitAsync(changes, ct);
        var all = new ActivityQuery(Subscription, Start, Start.AddHours(1), Limit: 100);

        Assert.Equal(["ns-4", "hub-4", "ns-3"], Bodies(await Store.GetActivityAsync(all with { Limit = 3 }, ct)));
        Assert.Equal(5, (await Store.GetActivityAsync(all with { ResourceGroup = "a" }, ct)).Count);
        Assert.Equal(5, (await Store.GetActivityAsync(all with { ResourceId = HubA.ToUpperInvariant() }, ct)).Count);
        Assert.Equal(["ns-4", "ns-3", "ns-2", "ns-1", "ns-0"], Bodies(await Store.GetActivityAsync(all with { ResourceProvider = "microsoft.deviceregistry" }, ct)));
        Assert.Equal(["hub-2"], Bodies(await Store.GetActivityAsync(all with { CorrelationId = "hub-2" }, ct)));
        Assert.Equal(["hub-1", "ns-1"], Bodies(await Store.GetActivityAsync(all with { From = Start.AddMinutes(1), To = Start.AddMinutes(1) }, ct)).Order());
        Assert.Empty(await Store.GetActivityAsync(all with { SubscriptionId = "00000000-0000-0000-0000-000000000002" }, ct));

        // Continuation: each page starts below the last sequence of the one before.
        var seen = new List<string>();
        long? before = null;
        do
        {
            var page = await Store.GetActivityAsync(all with { Limit = 4, Before = before }, ct);
            seen.AddRange(Bodies(page));
            before = page.Count == 4 ? page[^1].Sequence : null;
        }
        while (before is not null);

        Assert.Equal(10, seen.Count);
        Assert.Equal(10, seen.Distinct().Count());
    }

    [Fact]
    public async Task RetentionRemovesOnlyEntriesOlderThanTheCutoff()
    {
        var ct = TestContext.Current.CancellationToken;
        await Store.CommitAsync(new StoreChangeSet()
            .AppendActivity(Entry(HubA, "A", "Microsoft.Devices", "old", Start))
            .AppendActivity(Entry(HubA, "A", "Microsoft.Devices", "new", Start.AddDays(91))), ct);

        await Store.CommitAsync(new StoreChangeSet().PruneActivity(Start.AddDays(1)), ct);

        var left = await Store.GetActivityAsync(new ActivityQuery(Subscription, Start.AddYears(-1), Start.AddYears(1), Limit: 10), ct);
        Assert.Equal(["new"], Bodies(left));
    }

    private static ActivityRecord Entry(string resourceId, string group, string provider, string correlationId, DateTimeOffset at) =>
        new(Subscription, group, resourceId, provider, correlationId, at, correlationId);

    private static string[] Bodies(IEnumerable<StoredActivity> entries) => [.. entries.Select(entry => entry.Body)];
}

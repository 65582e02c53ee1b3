using System.Text;
using Microsoft.Data.Sqlite;
using Outpost.Core.Messaging;

namespace Outpost.Storage.Sqlite.Tests;

public sealed class SqliteMessageStoreTests : IDisposable
{
    private const string Hub = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Devices/IotHubs/Hub1";
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private readonly string directory = Directory.CreateTempSubdirectory("outpost-messages-").FullName;

    private string DatabasePath => Path.Combine(directory, "messages.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task EventsGetSequenceNumbersPerPartitionAndSurviveAReopen()
    {
        var store = Open();
        var appends = Enumerable.Range(0, 40).Select(index => store.AppendAsync(Event(index % 2, $"reading {index}", Now.AddSeconds(index))));
        var sequences = await Task.WhenAll(appends);
        Assert.Equal(Enumerable.Range(0, 20).Select(value => (long)value), sequences.Where((_, index) => index % 2 == 0).Order());

        var reopened = Open();
        var page = await reopened.ReadAsync(Hub.ToUpperInvariant(), 1, 15, 10);
        Assert.Equal([15L, 16, 17, 18, 19], page.Select(item => item.Sequence));
        Assert.Equal((0L, 19L), await reopened.RangeAsync(Hub, 0));
        Assert.Null(await reopened.RangeAsync(Hub, 3));
        Assert.Equal(10, await reopened.CountSinceAsync(Hub, Now.AddSeconds(30)));
        Assert.Equal([Hub.ToLowerInvariant()], await reopened.HubsAsync());
    }

    [Fact]
    public async Task RetentionDropsOlderEventsAndCheckpointsArePerConsumerGroup()
    {
        var store = Open();
        for (var index = 0; index < 5; index++)
        {
            await store.AppendAsync(Event(0, $"reading {index}", Now.AddHours(index)));
        }

        Assert.Equal(3, await store.TrimAsync(Hub, Now.AddHours(3)));
        Assert.Equal((3L, 4L), await store.RangeAsync(Hub, 0));

        await store.SetCheckpointAsync(Hub, "$Default", 0, 3);
        await store.SetCheckpointAsync(Hub, "analytics", 0, 4);
        Assert.Equal(3, await store.GetCheckpointAsync(Hub, "$default", 0));
        Assert.Equal(4, await store.GetCheckpointAsync(Hub, "analytics", 0));
        Assert.Null(await store.GetCheckpointAsync(Hub, "analytics", 1));
    }

    [Fact]
    public async Task DeviceQueuesHoldTheirDepthDropExpiredMessagesAndComplete()
    {
        var store = Open();
        var first = await store.EnqueueAsync(Message("m1", Now.AddMinutes(10)), maxDepth: 2);
        var expiring = await store.EnqueueAsync(Message("m2", Now.AddMinutes(1)), maxDepth: 2);
        Assert.True(first.Accepted && expiring.Accepted);
        Assert.False((await store.EnqueueAsync(Message("m3", Now.AddMinutes(10)), maxDepth: 2)).Accepted);

        var pending = await store.PendingAsync(Hub, "Device-1", Now.AddMinutes(5));
        Assert.Equal(["m1"], pending.Select(message => message.MessageId));
        Assert.Equal("switch on", Encoding.UTF8.GetString(pending[0].Body));
        Assert.True(await store.CompleteAsync(Hub, "device-1", first.Sequence));
        Assert.False(await store.CompleteAsync(Hub, "device-1", first.Sequence));

        Assert.Equal(1, await store.DropExpiredAsync(Now.AddMinutes(5)));
        await store.EnqueueAsync(Message("m4", Now.AddMinutes(10)), maxDepth: 2);
        Assert.Equal(1, await Open().CountAsync(Hub, "device-1", Now.AddMinutes(5)));
        Assert.Equal(0, await store.CountAsync(Hub, "device-1", Now.AddMinutes(11)));
        Assert.Equal(1, await store.PurgeAsync(Hub, "device-1"));
        Assert.Empty(await store.PendingAsync(Hub, "device-1", Now));
    }

    [Fact]
    public async Task PersistentSessionSubscriptionsAreKeptUntilACleanSession()
    {
        var store = Open();
        await store.AddAsync(Hub, "Device-1", "$iothub/methods/POST/#");
        await store.AddAsync(Hub, "device-1", "$iothub/methods/POST/#");
        await store.AddAsync(Hub, "device-1", "devices/device-1/messages/devicebound/#");
        Assert.Equal(["$iothub/methods/POST/#", "devices/device-1/messages/devicebound/#"], await Open().GetAsync(Hub, "device-1"));
        await store.ClearAsync(Hub, "DEVICE-1");
        Assert.Empty(await store.GetAsync(Hub, "device-1"));
    }

    private SqliteMessageStore Open()
    {
        var store = new SqliteMessageStore(DatabasePath);
        store.Initialize();
        return store;
    }

    private static DeviceEvent Event(int partition, string body, DateTimeOffset enqueued) =>
        new(Hub, partition, "device-1", enqueued, """{"systemProperties":{},"properties":{}}""", Encoding.UTF8.GetBytes(body));

    private static CloudToDeviceMessage Message(string id, DateTimeOffset expiry) =>
        new(Hub, "device-1", id, null, "text/plain", null, Now, expiry, "{}", Encoding.UTF8.GetBytes("switch on"));
}

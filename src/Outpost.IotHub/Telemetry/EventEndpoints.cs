using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Json;
using Outpost.Core.Messaging;
using Outpost.IotHub.Hubs;
using Outpost.IotHub.ServiceApi;

namespace Outpost.IotHub.Telemetry;

/// <summary>
/// Reading the built-in event log over HTTPS, an Outpost extension: IoT Hub serves it only over AMQP (Event Hubs),
/// which Outpost does not speak yet. Per consumer group and partition a reader asks from a sequence number, from its
/// group's checkpoint, or from the start or end; it may wait for events (<c>waitSeconds</c>) or follow the partition as
/// a stream of JSON lines (<c>follow=true</c>), and records its position with a checkpoint.
/// </summary>
internal static class EventEndpoints
{
    private const string Path = "/events/consumerGroups/{consumerGroup}/partitions/{partition:int}";

    public static void MapEvents(this IEndpointRouteBuilder hub)
    {
        hub.MapGet("/events/partitions", PartitionsAsync);
        hub.MapGet(Path, ReadAsync);
        hub.MapPut(Path + "/checkpoint", CheckpointAsync);
    }

    private static async Task<IResult> PartitionsAsync(HttpContext context, HubServiceApi api, IEventLog log, DailyQuota quota, CancellationToken cancellationToken)
    {
        var hub = await api.AuthorizeAsync(context, HubAccess.ReadEvents, cancellationToken);
        var partitions = new JsonArray();
        for (var partition = 0; partition < hub.PartitionCount; partition++)
        {
            var range = await log.RangeAsync(hub.Id, partition, cancellationToken);
            partitions.Add(new JsonObject
            {
                ["id"] = partition.ToString(CultureInfo.InvariantCulture),
                ["firstSequenceNumber"] = range?.First,
                ["lastSequenceNumber"] = range?.Last,
            });
        }

        return Results.Json(new JsonObject
        {
            ["partitionCount"] = hub.PartitionCount,
            ["retentionTimeInDays"] = hub.RetentionDays,
            ["messagesToday"] = quota.UsedToday(hub),
            ["dailyMessageQuota"] = quota.LimitFor(hub),
            ["partitions"] = partitions,
        });
    }

    private static async Task ReadAsync(string consumerGroup, int partition, HttpContext context, HubServiceApi api, IEventLog log, EventSignals signals,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var hub = await api.AuthorizeAsync(context, HubAccess.ReadEvents, cancellationToken);
        RequirePartition(hub, partition);
        RequireConsumerGroup(consumerGroup);
        var query = context.Request.Query;
        var maxCount = Number(query["maxCount"], "maxCount", 100, 1, 1000);
        var wait = TimeSpan.FromSeconds(Number(query["waitSeconds"], "waitSeconds", 0, 0, 60));
        var follow = string.Equals(query["follow"], "true", StringComparison.OrdinalIgnoreCase);
        var next = await StartAsync(query["from"].ToString(), hub, consumerGroup, partition, log, cancellationToken);

        if (follow)
        {
            context.Response.ContentType = "application/x-ndjson";
            await context.Response.StartAsync(cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                var signal = signals.NextAsync(hub.Id, partition);
                var events = await log.ReadAsync(hub.Id, partition, next, maxCount, cancellationToken);
                foreach (var item in events)
                {
                    await context.Response.WriteAsync(ToJson(item).ToJsonString() + "\n", cancellationToken);
                    next = item.Sequence + 1;
                }

                await context.Response.Body.FlushAsync(cancellationToken);
                if (events.Count == 0)
                {
                    await signal.WaitAsync(cancellationToken);
                }
            }

            return;
        }

        var signalled = signals.NextAsync(hub.Id, partition);
        var batch = await log.ReadAsync(hub.Id, partition, next, maxCount, cancellationToken);
        if (batch.Count == 0 && wait > TimeSpan.Zero)
        {
            try
            {
                await signalled.WaitAsync(wait, time, cancellationToken);
                batch = await log.ReadAsync(hub.Id, partition, next, maxCount, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Nothing arrived in time: an empty page, as a long poll ends.
            }
        }

        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["partition"] = partition.ToString(CultureInfo.InvariantCulture),
            ["events"] = new JsonArray([.. batch.Select(item => (JsonNode)ToJson(item))]),
            ["nextSequenceNumber"] = batch.Count > 0 ? batch[^1].Sequence + 1 : next,
        }, cancellationToken);
    }

    private static async Task<IResult> CheckpointAsync(string consumerGroup, int partition, HttpContext context, HubServiceApi api, IEventLog log,
        CancellationToken cancellationToken)
    {
        var hub = await api.AuthorizeAsync(context, HubAccess.ReadEvents, cancellationToken);
        RequirePartition(hub, partition);
        RequireConsumerGroup(consumerGroup);
        var body = await JsonBody.ReadObjectAsync(context.Request.Body, cancellationToken);
        var sequence = body["sequenceNumber"] is JsonValue value && value.TryGetValue<long>(out var number) && number >= 0
            ? number
            : throw new HubException(HubError.ArgumentInvalid, "The checkpoint body must be {\"sequenceNumber\": n}: the last sequence number the consumer group has processed.");
        await log.SetCheckpointAsync(hub.Id, consumerGroup, partition, sequence, cancellationToken);
        return Results.Json(new JsonObject { ["consumerGroup"] = consumerGroup, ["partition"] = partition.ToString(CultureInfo.InvariantCulture), ["sequenceNumber"] = sequence });
    }

    /// <summary>Where a read starts: a sequence number, "earliest", "latest" (only what comes next), or by default after the group's checkpoint.</summary>
    private static async Task<long> StartAsync(string from, HubInstance hub, string consumerGroup, int partition, IEventLog log, CancellationToken cancellationToken)
    {
        switch (from)
        {
            case "" or "checkpoint":
                return await log.GetCheckpointAsync(hub.Id, consumerGroup, partition, cancellationToken) is { } checkpoint ? checkpoint + 1 : 0;
            case "earliest":
                return 0;
            case "latest":
                return await log.RangeAsync(hub.Id, partition, cancellationToken) is { } range ? range.Last + 1 : 0;
            default:
                return long.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
                    ? sequence
                    : throw new HubException(HubError.ArgumentInvalid, $"from '{from}' is not valid; use a sequence number, 'earliest', 'latest' or 'checkpoint'.");
        }
    }

    private static JsonObject ToJson(DeviceEvent item)
    {
        var stored = JsonNode.Parse(item.Properties)!.AsObject();
        var json = new JsonObject
        {
            ["sequenceNumber"] = item.Sequence,
            ["partition"] = item.Partition.ToString(CultureInfo.InvariantCulture),
            ["enqueuedTime"] = item.EnqueuedTime.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["deviceId"] = item.DeviceId,
            ["systemProperties"] = stored["systemProperties"]?.DeepClone(),
            ["properties"] = stored["properties"]?.DeepClone(),
            ["body"] = Convert.ToBase64String(item.Body),
        };
        try
        {
            json["bodyText"] = new UTF8Encoding(false, true).GetString(item.Body);
        }
        catch (DecoderFallbackException)
        {
            // Binary bodies are given in base64 only.
        }

        return json;
    }

    private static void RequirePartition(HubInstance hub, int partition)
    {
        if (partition < 0 || partition >= hub.PartitionCount)
        {
            throw new HubException(HubError.ArgumentInvalid, $"Hub '{hub.Name}' has partitions 0 to {hub.PartitionCount - 1}; {partition} is not one of them.");
        }
    }

    private static void RequireConsumerGroup(string name)
    {
        if (name.Length is 0 or > 50 || !name.All(character => char.IsAsciiLetterOrDigit(character) || character is '-' or '_' or '.' or '$'))
        {
            throw new HubException(HubError.ArgumentInvalid, $"Consumer group '{name}' is not valid: use 1 to 50 letters, digits, '-', '_', '.' or '$' ($Default is always there).");
        }
    }

    private static int Number(string? text, string name, int fallback, int minimum, int maximum)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum
            ? value
            : throw new HubException(HubError.ArgumentInvalid, $"{name} '{text}' is not valid; use a whole number from {minimum} to {maximum}.");
    }
}

using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Outpost.Cli.Session;

namespace Outpost.Cli.Commands;

/// <summary>
/// <c>outpost iot hub monitor-events</c>: follows every partition of the hub's event log (Outpost's HTTPS reader) and
/// prints each event as <c>az iot hub monitor-events</c> does, <c>{"event":{"origin","payload","properties"}}</c>,
/// optionally for one device only, until <c>--timeout</c> seconds pass or <c>--max-events</c> have been shown.
/// </summary>
internal static class MonitorCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var target = DeviceCommands.Target.Create(device: false);
        Option<string> properties = new("--properties", "--props") { Description = "Properties to show: all, sys, app or none.", DefaultValueFactory = _ => "none" };
        Option<int> timeout = new("--timeout", "-t") { Description = "Seconds to watch; 0 watches until interrupted.", DefaultValueFactory = _ => 300 };
        Option<int> maxEvents = new("--max-events") { Description = "Stop after this many events (0: no limit)." };
        Option<string> from = new("--enqueued-from", "--from") { Description = "latest (only new events) or earliest.", DefaultValueFactory = _ => "latest" };
        Option<string> consumerGroup = new("--consumer-group", "--cg") { Description = "Consumer group.", DefaultValueFactory = _ => "$Default" };
        return Verbs.Verb("monitor-events", "Show the hub's device-to-cloud messages as they arrive.", target.All(properties, timeout, maxEvents, from, consumerGroup), async context =>
        {
            var show = context.Get(properties);
            if (show is not ("all" or "sys" or "app" or "none"))
            {
                throw new CliException(CliException.Usage, "InvalidArgument", $"--properties '{show}' is not one of all, sys, app, none.");
            }

            var start = context.Get(from);
            if (start is not ("latest" or "earliest"))
            {
                throw new CliException(CliException.Usage, "InvalidArgument", $"--enqueued-from '{start}' is not one of latest, earliest.");
            }

            var (host, key) = await HubAccess.KeyAsync(context, context.Get(target.Hub), context.Get(target.Group));
            var layout = (await context.Server.DataPlaneAsync(HttpMethod.Get, host, $"/events/partitions?api-version={ApiVersions.HubService}", "iothubowner", key, null, null,
                context.Cancellation)).Body;
            var partitions = layout?["partitionCount"]?.GetValue<int>() ?? 0;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.Cancellation);
            if (context.Get(timeout) > 0)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(context.Get(timeout)));
            }

            var device = context.Get(target.Device);
            var limit = context.Get(maxEvents);
            var shown = 0;
            var gate = new Lock();
            var readers = Enumerable.Range(0, partitions).Select(async partition =>
            {
                var path = $"/events/consumerGroups/{Uri.EscapeDataString(context.Get(consumerGroup))}/partitions/{partition}?api-version={ApiVersions.HubService}&follow=true&from={start}";
                var (_, response) = await context.Server.DataPlaneAsync(HttpMethod.Get, host, path, "iothubowner", key, null, null, stop.Token, stream: true);
                using (response)
                {
                    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
                    while (await reader.ReadLineAsync(stop.Token) is { } line)
                    {
                        var item = JsonNode.Parse(line)!;
                        if (device.Length > 0 && item["deviceId"]?.GetValue<string>() != device)
                        {
                            continue;
                        }

                        lock (gate)
                        {
                            if (limit > 0 && shown >= limit)
                            {
                                break;
                            }

                            context.Output.Writer.WriteLine(Format(item, show).ToJsonString(Indented));
                            context.Output.Writer.Flush();
                            shown++;
                            if (limit > 0 && shown >= limit)
                            {
                                stop.Cancel();
                            }
                        }
                    }
                }
            }).ToArray();
            try
            {
                await Task.WhenAll(readers);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested && !context.Cancellation.IsCancellationRequested)
            {
                // The timeout or the event limit ended the watch.
            }

            return null;
        });
    }

    private static JsonObject Format(JsonNode item, string show)
    {
        var text = item["bodyText"]?.GetValue<string>();
        JsonNode? payload;
        try
        {
            payload = text is null ? item["body"]?.DeepClone() : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            payload = text;
        }

        var formatted = new JsonObject { ["origin"] = item["deviceId"]?.DeepClone(), ["payload"] = payload };
        if (show != "none")
        {
            var properties = new JsonObject();
            if (show is "all" or "sys")
            {
                properties["system"] = item["systemProperties"]?.DeepClone();
            }

            if (show is "all" or "app")
            {
                properties["application"] = item["properties"]?.DeepClone();
            }

            formatted["properties"] = properties;
        }

        return new JsonObject { ["event"] = formatted };
    }
}

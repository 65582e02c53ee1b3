using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Json;
using Outpost.Core.Messaging;
using Outpost.IotHub.Connections;
using Outpost.IotHub.Hubs;
using Outpost.IotHub.ServiceApi;

namespace Outpost.IotHub.Devices;

/// <summary>
/// The identity registry of IoT Hub's service API (what azure-iothub's <c>Registry</c> calls): <c>PUT /devices/{id}</c>
/// creates (no If-Match; keys generated when empty) or replaces (If-Match, <c>*</c> or the device's etag),
/// <c>GET</c>, <c>DELETE</c>, <c>GET /devices</c>, bulk <c>POST /devices</c> and <c>GET /statistics/devices</c>.
/// </summary>
internal static class DeviceEndpoints
{
    public static void MapDevices(this IEndpointRouteBuilder hub)
    {
        hub.MapPut("/devices/{deviceId}", PutAsync);
        hub.MapGet("/devices/{deviceId}", GetAsync);
        hub.MapDelete("/devices/{deviceId}", DeleteAsync);
        hub.MapGet("/devices", ListAsync);
        hub.MapPost("/devices", BulkAsync);
        hub.MapGet("/statistics/devices", StatisticsAsync);
    }

    private static async Task<IResult> PutAsync(string deviceId, HttpContext context, HubServiceApi api, DeviceRegistry registry, DeviceConnections connections,
        ICloudToDeviceMessages queue, TimeProvider time, CancellationToken cancellationToken)
    {
        var hub = await api.AuthorizeAsync(context, HubAccess.WriteDevices, cancellationToken);
        var body = await JsonBody.ReadObjectAsync(context.Request.Body, cancellationToken);
        var device = await WriteAsync(hub, DeviceIds.Require(deviceId), body, Etag(context.Request.Headers.IfMatch.ToString()), registry, connections, time, cancellationToken);
        return Results.Json(await WireAsync(hub, device, connections, queue, time, cancellationToken));
    }

    private static async Task<IResult> GetAsync(string deviceId, HttpContext context, HubServiceApi api, DeviceRegistry registry, DeviceConnections connections,
        ICloudToDeviceMessages queue, TimeProvider time, CancellationToken cancellationToken)
    {
        var hub = await api.AuthorizeAsync(context, HubAccess.ReadDevices, cancellationToken);
        return Results.Json(await WireAsync(hub, await registry.RequireAsync(hub, deviceId, cancellationToken), connections, queue, time, cancellationToken));
    }

    private static async Task<IResult> DeleteAsync(string deviceId, HttpContext context, HubServiceApi api, DeviceRegistry registry, DeviceConnections connections,
        ICloudToDeviceMessages queue, IDeviceSubscriptions subscriptions, CancellationToken cancellationToken)
    {
        var hub = await api.AuthorizeAsync(context, HubAccess.DeleteDevices, cancellationToken);
        var device = await registry.RequireAsync(hub, deviceId, cancellationToken);
        RequireEtag(device, Etag(context.Request.Headers.IfMatch.ToString()));
        await registry.DeleteAsync(hub, device, cancellationToken);
        await ForgetAsync(hub, device.DeviceId, connections, queue, subscriptions, cancellationToken);
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    private static async Task<IResult> ListAsync(HttpContext context, HubServiceApi api, DeviceRegistry registry, DeviceConnections connections, ICloudToDeviceMessages queue,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var hub = await api.AuthorizeAsync(context, HubAccess.ReadDevices, cancellationToken);
        var top = int.TryParse(context.Request.Query["top"], out var requested) && requested is > 0 and <= 1000 ? requested : 1000;
        var devices = new JsonArray();
        foreach (var device in (await registry.ListAsync(hub, cancellationToken)).Take(top))
        {
            devices.Add(await WireAsync(hub, device, connections, queue, time, cancellationToken));
        }

        return Results.Json(devices);
    }

    /// <summary>
    /// Bulk registry changes, 1 to 100 devices, each with <c>importMode</c> create, update, updateIfMatchETag, delete or
    /// deleteIfMatchETag. Each device succeeds or fails on its own, as IoT Hub's bulk API reports.
    /// </summary>
    private static async Task<IResult> BulkAsync(HttpContext context, HubServiceApi api, DeviceRegistry registry, DeviceConnections connections, ICloudToDeviceMessages queue,
        IDeviceSubscriptions subscriptions, TimeProvider time, CancellationToken cancellationToken)
    {
        var hub = await api.AuthorizeAsync(context, HubAccess.WriteDevices, cancellationToken);
        JsonArray items;
        try
        {
            items = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: cancellationToken) as JsonArray
                ?? throw new HubException(HubError.ArgumentInvalid, "A bulk registry request is a JSON array of 1 to 100 devices, each with an importMode.");
        }
        catch (System.Text.Json.JsonException exception)
        {
            throw new HubException(HubError.ArgumentInvalid, $"The request body is not valid JSON: {exception.Message}");
        }

        if (items.Count is 0 or > 100)
        {
            throw new HubException(HubError.ArgumentInvalid, $"A bulk registry request carries 1 to 100 devices; this one has {items.Count}.");
        }

        var errors = new JsonArray();
        foreach (var item in items.OfType<JsonObject>())
        {
            var id = item["id"]?.GetValue<string>() ?? item["deviceId"]?.GetValue<string>() ?? string.Empty;
            try
            {
                await BulkItemAsync(hub, DeviceIds.Require(id), item, registry, connections, queue, subscriptions, time, cancellationToken);
            }
            catch (HubException exception)
            {
                errors.Add(new JsonObject { ["deviceId"] = id, ["errorCode"] = exception.Error.Name, ["errorStatus"] = exception.Message });
            }
        }

        return Results.Json(new JsonObject { ["isSuccessful"] = errors.Count == 0, ["errors"] = errors, ["warnings"] = new JsonArray() },
            statusCode: errors.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static async Task BulkItemAsync(HubInstance hub, string id, JsonObject item, DeviceRegistry registry, DeviceConnections connections, ICloudToDeviceMessages queue,
        IDeviceSubscriptions subscriptions, TimeProvider time, CancellationToken cancellationToken)
    {
        var mode = item["importMode"]?.GetValue<string>() ?? "create";
        var etag = item["eTag"]?.GetValue<string>() ?? item["etag"]?.GetValue<string>();
        switch (mode.ToLowerInvariant())
        {
            case "create":
                await WriteAsync(hub, id, item, null, registry, connections, time, cancellationToken);
                break;
            case "update" or "createorupdate":
                await WriteAsync(hub, id, item, await registry.FindAsync(hub, id, cancellationToken) is null ? null : "*", registry, connections, time, cancellationToken);
                break;
            case "updateifmatchetag":
                await WriteAsync(hub, id, item, Etag(etag ?? string.Empty) ?? string.Empty, registry, connections, time, cancellationToken);
                break;
            case "delete" or "deleteifmatchetag":
                var device = await registry.RequireAsync(hub, id, cancellationToken);
                RequireEtag(device, mode.Equals("delete", StringComparison.OrdinalIgnoreCase) ? null : Etag(etag ?? string.Empty) ?? string.Empty);
                await registry.DeleteAsync(hub, device, cancellationToken);
                await ForgetAsync(hub, device.DeviceId, connections, queue, subscriptions, cancellationToken);
                break;
            default:
                throw new HubException(HubError.ArgumentInvalid, $"importMode '{mode}' is not valid; use create, update, updateIfMatchETag, delete or deleteIfMatchETag.");
        }
    }

    private static async Task<IResult> StatisticsAsync(HttpContext context, HubServiceApi api, DeviceRegistry registry, CancellationToken cancellationToken)
    {
        var hub = await api.AuthorizeAsync(context, HubAccess.ReadStatistics, cancellationToken);
        var devices = await registry.ListAsync(hub, cancellationToken);
        var enabled = devices.Count(device => device.Enabled);
        return Results.Json(new JsonObject { ["totalDeviceCount"] = devices.Count, ["enabledDeviceCount"] = enabled, ["disabledDeviceCount"] = devices.Count - enabled });
    }

    /// <summary>
    /// Creates the device when <paramref name="ifMatch"/> is null (a 409 if it exists), else replaces it if the etag
    /// matches (<c>*</c> matches any). A device that is disabled or whose credentials change is disconnected.
    /// </summary>
    private static async Task<DeviceRecord> WriteAsync(HubInstance hub, string deviceId, JsonObject body, string? ifMatch, DeviceRegistry registry,
        DeviceConnections connections, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (ifMatch is null)
        {
            var created = new DeviceRecord(hub.DeviceId(deviceId), DeviceDocument.Build(deviceId, body, null, now), 0);
            await registry.CreateAsync(hub, created, cancellationToken);
            return created;
        }

        var (device, credentialsChanged) = await registry.UpdateAsync(hub, deviceId, current =>
        {
            RequireEtag(current, ifMatch);
            var before = current.Body["authentication"]?.ToJsonString();
            var replaced = DeviceDocument.Build(current.DeviceId, body, current.Body, now);
            foreach (var (name, value) in replaced.ToList())
            {
                current.Body[name] = value?.DeepClone();
            }

            return before != current.Body["authentication"]?.ToJsonString();
        }, cancellationToken);
        if (!device.Enabled || credentialsChanged)
        {
            await DisconnectAsync(connections, hub, device.DeviceId);
        }

        return device;
    }

    private static async Task<JsonObject> WireAsync(HubInstance hub, DeviceRecord device, DeviceConnections connections, ICloudToDeviceMessages queue, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var connection = connections.Find(hub.Id, device.DeviceId);
        var queued = await queue.CountAsync(hub.Id, device.DeviceId, time.GetUtcNow(), cancellationToken);
        return DeviceDocument.ToWire(device, connection is not null, connection?.ConnectedAt, queued);
    }

    /// <summary>What a deleted device leaves behind goes with it: its queued messages, its session's subscriptions, its connection.</summary>
    private static async Task ForgetAsync(HubInstance hub, string deviceId, DeviceConnections connections, ICloudToDeviceMessages queue, IDeviceSubscriptions subscriptions,
        CancellationToken cancellationToken)
    {
        await queue.PurgeAsync(hub.Id, deviceId, cancellationToken);
        await subscriptions.ClearAsync(hub.Id, deviceId, cancellationToken);
        await DisconnectAsync(connections, hub, deviceId);
    }

    /// <summary>Drops a device's live connection, so a disabled, re-keyed or deleted device is out at once.</summary>
    private static Task<bool> DisconnectAsync(DeviceConnections connections, HubInstance hub, string deviceId) =>
        new LiveDeviceSessions(connections).DisconnectAsync(hub.Id, deviceId);

    /// <summary>The SDK quotes etags (<c>"*"</c>, <c>"AAAAAAAAAAE="</c>); an absent header is null.</summary>
    public static string? Etag(string header) => string.IsNullOrWhiteSpace(header) ? null : header.Trim().Trim('"');

    private static void RequireEtag(DeviceRecord device, string? ifMatch)
    {
        var current = device.Body["etag"]?.GetValue<string>();
        if (ifMatch is not null && ifMatch != "*" && ifMatch != current)
        {
            throw new HubException(HubError.PreconditionFailed, $"The device '{device.DeviceId}' has etag \"{current}\", not \"{ifMatch}\": it changed since it was read. Read it again and retry.");
        }
    }
}

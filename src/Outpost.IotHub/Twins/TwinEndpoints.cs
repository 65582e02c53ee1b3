using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using MQTTnet.Protocol;
using Outpost.Core.Json;
using Outpost.IotHub.Connections;
using Outpost.IotHub.Devices;
using Outpost.IotHub.Hubs;
using Outpost.IotHub.ServiceApi;

namespace Outpost.IotHub.Twins;

/// <summary>
/// Twins in the service API: <c>GET /twins/{id}</c>, <c>PATCH /twins/{id}</c> (merge tags and desired properties) and
/// <c>PUT /twins/{id}</c> (replace them), both honouring <c>If-Match</c> with the twin's etag. A desired-property change
/// is pushed at once to the device if it is connected and subscribed.
/// </summary>
internal static class TwinEndpoints
{
    public static void MapTwins(this IEndpointRouteBuilder hub)
    {
        hub.MapGet("/twins/{deviceId}", GetAsync);
        hub.MapMethods("/twins/{deviceId}", ["PATCH"], (string deviceId, HttpContext context, HubServiceApi api, DeviceRegistry registry, DeviceConnections connections,
            CancellationToken cancellationToken) => UpdateAsync(deviceId, replace: false, context, api, registry, connections, cancellationToken));
        hub.MapPut("/twins/{deviceId}", (string deviceId, HttpContext context, HubServiceApi api, DeviceRegistry registry, DeviceConnections connections,
            CancellationToken cancellationToken) => UpdateAsync(deviceId, replace: true, context, api, registry, connections, cancellationToken));
    }

    private static async Task<IResult> GetAsync(string deviceId, HttpContext context, HubServiceApi api, DeviceRegistry registry, DeviceConnections connections,
        CancellationToken cancellationToken)
    {
        var hub = await api.AuthorizeAsync(context, HubAccess.ReadTwins, cancellationToken);
        var device = await registry.RequireAsync(hub, deviceId, cancellationToken);
        return Results.Json(TwinDocument.ToWire(device, connections.Find(hub.Id, device.DeviceId) is not null));
    }

    private static async Task<IResult> UpdateAsync(string deviceId, bool replace, HttpContext context, HubServiceApi api, DeviceRegistry registry,
        DeviceConnections connections, CancellationToken cancellationToken)
    {
        var hub = await api.AuthorizeAsync(context, HubAccess.WriteTwins, cancellationToken);
        var patch = await JsonBody.ReadObjectAsync(context.Request.Body, cancellationToken);
        var ifMatch = DeviceEndpoints.Etag(context.Request.Headers.IfMatch.ToString());
        var (device, desired) = await registry.UpdateAsync(hub, deviceId, current =>
        {
            var twin = current.Body["twin"] as JsonObject ?? TwinDocument.Empty();
            if (ifMatch is not null && ifMatch != "*" && ifMatch != TwinDocument.Etag(twin))
            {
                throw new HubException(HubError.PreconditionFailed,
                    $"The twin of '{current.DeviceId}' has etag \"{TwinDocument.Etag(twin)}\", not \"{ifMatch}\": it changed since it was read. Read it again and retry.");
            }

            return TwinDocument.PatchFromService(current, patch, replace);
        }, cancellationToken);
        if (desired is not null)
        {
            await NotifyDesiredAsync(hub, device.DeviceId, desired, connections, cancellationToken);
        }

        return Results.Json(TwinDocument.ToWire(device, connections.Find(hub.Id, device.DeviceId) is not null));
    }

    /// <summary>Tells a connected device about a desired-properties change on <c>$iothub/twin/PATCH/properties/desired/?$version={v}</c>.</summary>
    public static async Task NotifyDesiredAsync(HubInstance hub, string deviceId, JsonObject desiredPatch, DeviceConnections connections, CancellationToken cancellationToken)
    {
        if (connections.Find(hub.Id, deviceId) is { Session.DesiredProperties: true } connection)
        {
            var version = desiredPatch["$version"]!.GetValue<long>();
            await connections.PublishAsync(connection, $"$iothub/twin/PATCH/properties/desired/?$version={version}", Encoding.UTF8.GetBytes(desiredPatch.ToJsonString()),
                MqttQualityOfServiceLevel.AtMostOnce, cancellationToken);
        }
    }
}

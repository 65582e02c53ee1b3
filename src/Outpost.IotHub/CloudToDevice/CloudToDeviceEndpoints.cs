using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Messaging;
using Outpost.IotHub.Devices;
using Outpost.IotHub.Hubs;
using Outpost.IotHub.ServiceApi;

namespace Outpost.IotHub.CloudToDevice;

/// <summary>
/// Sending cloud-to-device messages over REST, an Outpost extension (IoT Hub takes them over AMQP only):
/// <c>POST /devices/{id}/messages/deviceBound</c> with the message as the body and its properties in IoT Hub's HTTP
/// headers (<c>iothub-messageid</c>, <c>iothub-correlationid</c>, <c>iothub-expiry</c>, <c>iothub-app-{name}</c>,
/// <c>Content-Type</c>, <c>Content-Encoding</c>). And IoT Hub's purge, <c>DELETE /devices/{id}/commands</c>.
/// </summary>
internal static class CloudToDeviceEndpoints
{
    private const string AppPrefix = "iothub-app-";

    public static void MapCloudToDevice(this IEndpointRouteBuilder hub)
    {
        hub.MapPost("/devices/{deviceId}/messages/deviceBound", SendAsync);
        hub.MapDelete("/devices/{deviceId}/commands", PurgeAsync);
    }

    private static async Task<IResult> SendAsync(string deviceId, HttpContext context, HubServiceApi api, DeviceRegistry registry, CloudToDeviceDelivery delivery,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var hub = await api.AuthorizeAsync(context, HubAccess.SendMessages, cancellationToken);
        var device = await registry.RequireAsync(hub, deviceId, cancellationToken);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > 64 * 1024)
        {
            throw new HubException(HubError.MessageTooLarge, $"The message is {buffer.Length} bytes; a cloud-to-device message may be at most 64 KB.");
        }

        var headers = context.Request.Headers;
        var now = time.GetUtcNow();
        var properties = new JsonObject();
        foreach (var (name, value) in headers.Where(header => header.Key.StartsWith(AppPrefix, StringComparison.OrdinalIgnoreCase)))
        {
            properties[name[AppPrefix.Length..]] = value.ToString();
        }

        var message = new CloudToDeviceMessage(hub.Id, device.DeviceId,
            headers["iothub-messageid"].ToString() is { Length: > 0 } id ? id : Guid.NewGuid().ToString(),
            Header(headers, "iothub-correlationid"), Header(headers, "Content-Type"), Header(headers, "Content-Encoding"),
            now, Expiry(hub, Header(headers, "iothub-expiry"), now), properties.ToJsonString(), buffer.ToArray());
        await delivery.SendAsync(hub, message, cancellationToken);
        context.Response.Headers["iothub-messageid"] = message.MessageId;
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    private static async Task<IResult> PurgeAsync(string deviceId, HttpContext context, HubServiceApi api, DeviceRegistry registry, ICloudToDeviceMessages queue,
        CancellationToken cancellationToken)
    {
        var hub = await api.AuthorizeAsync(context, HubAccess.PurgeMessages, cancellationToken);
        var device = await registry.RequireAsync(hub, deviceId, cancellationToken);
        var purged = await queue.PurgeAsync(hub.Id, device.DeviceId, cancellationToken);
        return Results.Json(new JsonObject { ["totalMessagesPurged"] = purged, ["deviceId"] = device.DeviceId, ["moduleId"] = null });
    }

    /// <summary>The sender's expiry, else the hub's default time to live (<c>cloudToDevice.defaultTtlAsIso8601</c>, one hour unless set); 48 hours at most.</summary>
    private static DateTimeOffset Expiry(HubInstance hub, string? requested, DateTimeOffset now)
    {
        var latest = now.AddHours(48);
        if (requested is not null)
        {
            return DateTimeOffset.TryParse(requested, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiry) && expiry > now && expiry <= latest
                ? expiry
                : throw new HubException(HubError.ArgumentInvalid, $"iothub-expiry '{requested}' is not valid; send an ISO 8601 time within the next 48 hours.");
        }

        var ttl = hub.Body["properties"]?["cloudToDevice"]?["defaultTtlAsIso8601"]?.GetValue<string>();
        return now + (ttl is null ? TimeSpan.FromHours(1) : XmlConvert.ToTimeSpan(ttl));
    }

    private static string? Header(IHeaderDictionary headers, string name) => headers[name].ToString() is { Length: > 0 } value ? value : null;
}

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Json;
using Outpost.IotHub.Devices;
using Outpost.IotHub.ServiceApi;

namespace Outpost.IotHub.Methods;

/// <summary>
/// <c>POST /twins/{id}/methods</c>, what azure-iothub's <c>Client.invokeDeviceMethod</c> sends:
/// <c>{"methodName","payload","responseTimeoutInSeconds","connectTimeoutInSeconds"}</c>, answered
/// <c>{"status":…,"payload":…}</c> with the device's status and JSON.
/// </summary>
internal static class MethodEndpoints
{
    public static void MapMethods(this IEndpointRouteBuilder hub)
    {
        hub.MapPost("/twins/{deviceId}/methods", InvokeAsync);
    }

    private static async Task<IResult> InvokeAsync(string deviceId, HttpContext context, HubServiceApi api, DeviceRegistry registry, DirectMethods methods,
        CancellationToken cancellationToken)
    {
        var hub = await api.AuthorizeAsync(context, HubAccess.InvokeMethods, cancellationToken);
        var body = await JsonBody.ReadObjectAsync(context.Request.Body, cancellationToken);
        var name = body["methodName"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name) || name.Length > 100 || name.Any(character => character is '/' or '+' or '#' || char.IsControl(character)))
        {
            throw new HubException(HubError.ArgumentInvalid, $"methodName '{name}' is not valid: send 1 to 100 characters without '/', '+', '#' or control characters.");
        }

        var response = Seconds(body, "responseTimeoutInSeconds", 30, 5, 300);
        var connect = Seconds(body, "connectTimeoutInSeconds", 0, 0, 300);
        await registry.RequireAsync(hub, deviceId, cancellationToken);
        var (status, payload) = await methods.InvokeAsync(hub, deviceId, name, body["payload"]?.DeepClone(), response, connect, cancellationToken);
        return Results.Json(new JsonObject { ["status"] = status, ["payload"] = payload });
    }

    private static TimeSpan Seconds(JsonObject body, string name, int fallback, int minimum, int maximum)
    {
        var value = body[name] is JsonValue number && number.TryGetValue<int>(out var seconds) ? seconds : (int?)null;
        if (body[name] is not null && value is null)
        {
            throw new HubException(HubError.ArgumentInvalid, $"{name} must be a whole number of seconds from {minimum} to {maximum}.");
        }

        var chosen = value ?? fallback;
        return chosen >= minimum && chosen <= maximum
            ? TimeSpan.FromSeconds(chosen)
            : throw new HubException(HubError.ArgumentInvalid, $"{name} is {chosen}; it must be from {minimum} to {maximum} seconds.");
    }
}

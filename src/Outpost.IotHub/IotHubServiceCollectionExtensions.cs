using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MQTTnet.Server;
using Outpost.Core.Errors;
using Outpost.IotHub.CloudToDevice;
using Outpost.IotHub.Connections;
using Outpost.IotHub.DeviceMqtt;
using Outpost.IotHub.Devices;
using Outpost.IotHub.Hubs;
using Outpost.IotHub.Methods;
using Outpost.IotHub.Query;
using Outpost.IotHub.Renewal;
using Outpost.IotHub.ServiceApi;
using Outpost.IotHub.Telemetry;
using Outpost.IotHub.Throttling;
using Outpost.IotHub.Twins;

namespace Outpost.IotHub;

public static class IotHubServiceCollectionExtensions
{
    /// <summary>
    /// The IoT hub data planes: the device endpoint on the MQTT listener and the service API on each hub's host name.
    /// Needs the store, the device message store, the PKI and an <see cref="Core.SharedAccess.IAccessPolicies"/>.
    /// </summary>
    public static IServiceCollection AddOutpostIotHub(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<IotHubOptions>(configuration.GetSection("Outpost:IotHub"));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HubInstances>();
        services.TryAddSingleton<HubServiceCaller>();
        services.TryAddSingleton<HubServiceApi>();
        services.TryAddSingleton<DeviceRegistry>();
        services.TryAddSingleton<DeviceConnections>();
        services.TryAddSingleton<Core.Devices.ILiveDeviceSessions, LiveDeviceSessions>();
        services.TryAddSingleton<DeviceAuthenticator>();
        services.TryAddSingleton<DirectMethods>();
        services.TryAddSingleton<EventSignals>();
        services.TryAddSingleton<DailyQuota>();
        services.TryAddSingleton<HubThrottles>();
        services.TryAddSingleton<TelemetryIngest>();
        services.TryAddSingleton<CloudToDeviceDelivery>();
        services.TryAddSingleton<CertificateRenewal>();
        services.TryAddSingleton<HubMqtt>();
        services.AddHostedService<EventRetention>();
        return services;
    }

    /// <summary>Maps the service API on every hub's host name (<c>{name}.{dnsSuffix}</c>), with IoT Hub's error bodies.</summary>
    public static IEndpointRouteBuilder MapOutpostIotHub(this IEndpointRouteBuilder endpoints, string dnsSuffix)
    {
        var hub = endpoints.MapGroup(string.Empty).RequireHost($"*.{dnsSuffix}");
        hub.AddEndpointFilter(WriteHubErrorsAsync);
        hub.MapQuery();
        hub.MapDevices();
        hub.MapTwins();
        hub.MapMethods();
        hub.MapCloudToDevice();
        hub.MapEvents();
        return endpoints;
    }

    /// <summary>Whether an MQTT connection is a hub device's (by its user name), for the listener that dispatches connections.</summary>
    public static bool IsHubDevice(string? userName) => HubMqtt.Handles(userName);

    /// <summary>Plugs the device endpoint into the MQTT server; the listener still decides which connections are hub devices.</summary>
    public static void AttachIotHub(this MqttServer server, IServiceProvider services)
    {
        var hub = services.GetRequiredService<HubMqtt>();
        services.GetRequiredService<DeviceConnections>().Server = server;
        server.ClientConnectedAsync += hub.ConnectedAsync;
        server.ClientDisconnectedAsync += hub.DisconnectedAsync;
        server.InterceptingSubscriptionAsync += HubMqtt.InterceptSubscriptionAsync;
        server.ClientSubscribedTopicAsync += hub.SubscribedAsync;
        server.InterceptingPublishAsync += hub.InterceptPublishAsync;
        server.ClientAcknowledgedPublishPacketAsync += hub.AcknowledgedAsync;
        server.InterceptingClientEnqueueAsync += HubMqtt.InterceptEnqueueAsync;
    }

    /// <summary>Validates a hub device's CONNECT; call only for user names <see cref="IsHubDevice"/> accepts.</summary>
    public static Task ValidateHubDeviceAsync(this IServiceProvider services, ValidatingConnectionEventArgs arguments) =>
        services.GetRequiredService<HubMqtt>().ValidateAsync(arguments);

    private static async ValueTask<object?> WriteHubErrorsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception exception) when (exception is HubException or OutpostException)
        {
            var time = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
            await HubErrorBody.WriteAsync(context.HttpContext, exception, time.GetUtcNow());
            return Results.Empty;
        }
    }
}

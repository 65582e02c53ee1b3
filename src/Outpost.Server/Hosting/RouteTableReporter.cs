using Microsoft.AspNetCore.Authorization;

namespace Outpost.Server.Hosting;

/// <summary>
/// Logs every HTTP route the server serves (methods, host, pattern, and whether it is open without sign-in) at Debug
/// once it has started: what an operator checks to see exactly what is exposed, and what the route-table test reads
/// so that no route can be added without its authorization being probed.
/// </summary>
internal sealed partial class RouteTableReporter(IHostApplicationLifetime lifetime, EndpointDataSource endpoints, ILogger<RouteTableReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return Task.CompletedTask;
        }

        lifetime.ApplicationStarted.Register(() =>
        {
            var routes = endpoints.Endpoints.OfType<RouteEndpoint>().ToList();
            foreach (var route in routes)
            {
                var methods = route.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
                var hosts = route.Metadata.GetMetadata<IHostMetadata>()?.Hosts ?? [];
                var anonymous = route.Metadata.GetMetadata<IAllowAnonymous>() is not null;
                LogRoute(logger, methods.Count == 0 ? "*" : string.Join(',', methods), hosts.Count == 0 ? "*" : string.Join(',', hosts), route.RoutePattern.RawText ?? string.Empty,
                    anonymous);
            }

            LogTable(logger, routes.Count);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, EventName = "Route", Message = "Route {Methods} {Hosts} {Pattern} anonymous={Anonymous}")]
    private static partial void LogRoute(ILogger logger, string methods, string hosts, string pattern, bool anonymous);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, EventName = "RouteTable", Message = "Route table: {Count} routes")]
    private static partial void LogTable(ILogger logger, int count);
}

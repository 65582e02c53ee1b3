using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Security;

/// <summary>A server that logs its route table, so that every route can be probed.</summary>
public sealed class RouteTableServerFixture : ServerFixture
{
    protected override string[] ExtraArguments => ["--Logging:LogLevel:Outpost.Server.Hosting.RouteTableReporter=Debug"];
}

/// <summary>
/// Every HTTP route the server serves, read from its own route table (so a new route is probed the day it is added),
/// is called without credentials and with a principal that holds no role: neither gets anything done or read. Only the
/// routes that are public by nature (health, sign-in and its discovery documents, CRLs, the MQTT WebSocket upgrade)
/// are exempt, and the role catalogue, which every signed-in principal may read in Azure too.
/// </summary>
public sealed partial class RouteAuthorizationTests(RouteTableServerFixture fixture) : IClassFixture<RouteTableServerFixture>
{
    private static readonly string[] Public =
    [
        "/healthz", "/{tenantId}/oauth2/token", "/{tenantId}/oauth2/v2.0/token", "/{tenantId}/.well-known/openid-configuration",
        "/{tenantId}/v2.0/.well-known/openid-configuration", "/{tenantId}/discovery/v2.0/keys", "/$iothub/websocket", "/$iothub/websocket/negotiate",
    ];

    [Fact]
    public async Task NoRouteServesACallerWithoutCredentialsOrRoles()
    {
        await fixture.Server.WaitForOutputAsync("Route table: ");
        var routes = RouteLine().Matches(fixture.Server.Output).Select(match => (Methods: match.Groups[1].Value, Hosts: match.Groups[2].Value, Pattern: match.Groups[3].Value))
            .Where(route => !Public.Contains(route.Pattern) && !route.Pattern.EndsWith("/crl", StringComparison.Ordinal) && !IsPortal(route.Pattern))
            .Distinct().ToList();
        Assert.True(routes.Count > 80, $"Only {routes.Count} routes were read from the route table.");
        Assert.Contains(routes, route => route.Hosts == "*.outpost.localhost" && route.Pattern == "/twins/{deviceId}/methods");
        Assert.Contains(routes, route => route.Hosts == "*.dps.outpost.localhost" && route.Pattern.Contains("enrollmentGroups", StringComparison.Ordinal));
        Assert.Contains(routes, route => route.Hosts == "global.dps.outpost.localhost");

        var (appId, secret) = await RolelessPrincipalAsync();
        var failures = new List<string>();
        foreach (var (methods, hosts, pattern) in routes)
        {
            var host = hosts == "*" ? "localhost" : hosts.Split(',')[0].Replace("*", "probe", StringComparison.Ordinal);
            var path = Probe(pattern);
            using var client = new HostClient(fixture.Server, host);
            foreach (var method in methods == "*" ? ["GET"] : methods.Split(','))
            {
                var body = method is "PUT" or "POST" or "PATCH" ? "{}" : null;
                var anonymous = await client.SendAsync(new HttpMethod(method), path, null, body);
                if (!Refused(anonymous.Status))
                {
                    failures.Add($"{method} {host}{path} without credentials answered {(int)anonymous.Status}: {Truncate(anonymous.Text)}");
                }

                var token = await fixture.Client.GetTokenAsync(Scope(host, pattern), appId, secret);
                var roleless = await client.SendAsync(new HttpMethod(method), path, $"Bearer {token}", body);
                if (!Refused(roleless.Status) && !(method == "GET" && (ListsNothing(roleless.Body) || pattern.Contains("/roleDefinitions", StringComparison.Ordinal))))
                {
                    failures.Add($"{method} {host}{path} for a principal without roles answered {(int)roleless.Status}: {Truncate(roleless.Text)}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>
    /// The portal's pages and static files (HTML, not an API). Its pages are probed by the test below: without the
    /// portal's sign-in cookie each sends the browser to sign in; its actions are API calls, which the test above probes.
    /// </summary>
    private static bool IsPortal(string pattern)
    {
        var path = pattern.TrimStart('/');
        return path is "" or "signin" or "signout" or "{**path:file}" || path.StartsWith("_blazor", StringComparison.Ordinal)
            || path.StartsWith("_content/", StringComparison.Ordinal) || path.StartsWith("_framework/", StringComparison.Ordinal)
            || path.StartsWith("Outpost.Server.", StringComparison.Ordinal)
            || PortalPages.Any(prefix => path == prefix || path.StartsWith(prefix + "/", StringComparison.Ordinal));
    }

    private static readonly string[] PortalPages = ["groups", "namespaces", "hubs", "dps", "identities", "activity"];

    [Fact]
    public async Task PortalPagesSendACallerWithoutTheSignInCookieToSignIn()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(fixture.Server.BaseAddress) };
        foreach (var page in (string[])["/", "/namespaces", "/namespaces/create", "/hubs/g/h/devices", "/dps/g/d/enrollments", "/groups/g", "/activity"])
        {
            using var response = await http.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        // A management token is not a portal session: the pages ask for the cookie even from a signed-in API caller.
        using var withToken = new HttpRequestMessage(HttpMethod.Get, "/namespaces");
        withToken.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await fixture.Client.GetTokenAsync("https://management.azure.com/.default"));
        using var tokenResponse = await http.SendAsync(withToken);
        Assert.Equal(HttpStatusCode.Redirect, tokenResponse.StatusCode);
    }

    /// <summary>A refusal or "not found": anything but success, and never a server fault.</summary>
    private static bool Refused(HttpStatusCode status) => (int)status is >= 400 and < 500;

    /// <summary>A list a principal without roles may get: an empty one.</summary>
    private static bool ListsNothing(JsonNode? body) =>
        body is JsonArray { Count: 0 } || (body is JsonObject list && list["value"] is JsonArray { Count: 0 });

    /// <summary>The pattern with every parameter filled with a probe value, and the api-version its API expects.</summary>
    private static string Probe(string pattern)
    {
        var path = Regex.Replace(pattern.Replace("{**resourcePath}", "Microsoft.Probe/things/probe", StringComparison.Ordinal), @"\{[^}:]+:int\}", "0");
        path = Regex.Replace(path, @"\{[^}]+\}", "probe");
        var version = pattern switch
        {
            _ when pattern.StartsWith("/v1.0", StringComparison.Ordinal) => null,
            _ when pattern.Contains("Microsoft.DeviceRegistry", StringComparison.Ordinal) || pattern.StartsWith("/deviceCertificates", StringComparison.Ordinal) => "2025-11-01-preview",
            _ when pattern.Contains("IotHubs", StringComparison.Ordinal) || pattern.Contains("checkNameAvailability", StringComparison.Ordinal) => "2025-08-01-preview",
            _ when pattern.Contains("provisioningServices", StringComparison.Ordinal) || pattern.Contains("ProvisioningService", StringComparison.Ordinal) => "2025-02-01-preview",
            _ when pattern.Contains("Microsoft.ManagedIdentity", StringComparison.Ordinal) => "2023-01-31",
            _ when pattern.Contains("Microsoft.Authorization", StringComparison.Ordinal) => "2022-04-01",
            _ when pattern.Contains("Microsoft.Subscription", StringComparison.Ordinal) => "2021-10-01",
            _ when pattern.StartsWith("/subscriptions", StringComparison.Ordinal) => "2021-04-01",
            _ when pattern.Contains("/registrations/", StringComparison.Ordinal) && pattern.StartsWith("/{", StringComparison.Ordinal) => "2019-03-31",
            _ when pattern.Contains("enrollment", StringComparison.OrdinalIgnoreCase) || pattern.StartsWith("/registrations", StringComparison.Ordinal) => "2021-10-01",
            _ => "2021-04-12",
        };
        return version is null ? path : $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}api-version={version}";
    }

    /// <summary>The token audience a real caller of the route would use.</summary>
    private static string Scope(string host, string pattern) => host switch
    {
        _ when pattern.StartsWith("/v1.0", StringComparison.Ordinal) => "https://graph.microsoft.com/.default",
        _ when host.Contains(".dps.", StringComparison.Ordinal) => "https://azure-devices-provisioning.net/.default",
        _ when host != "localhost" => "https://iothubs.azure.net/.default",
        _ => "https://management.azure.com/.default",
    };

    /// <summary>A service principal with no role anywhere.</summary>
    private async Task<(string AppId, string Secret)> RolelessPrincipalAsync()
    {
        var principal = await fixture.Client.CreateServicePrincipalAsync("roleless-app");
        return (principal.AppId, principal.Secret);
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";

    [GeneratedRegex(@"Route (\S+) (\S+) (\S+) anonymous=")]
    private static partial Regex RouteLine();
}

using System.Net;
using Microsoft.AspNetCore.DataProtection;
using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using MQTTnet.AspNetCore;
using Outpost.Core;
using Outpost.Server.Tls;

namespace Outpost.Server.Hosting;

/// <summary>The server's own pieces: options, the TLS authority, the two listeners and the health endpoint.</summary>
internal static class ServerHostingExtensions
{
    public static IServiceCollection AddOutpostHosting(this IServiceCollection services, OutpostOptions options)
    {
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddSingleton<ServerTlsAuthority>();
        services.AddSingleton<ListenerState>();
        services.AddHostedService<StartupBootstrap>();
        services.AddHostedService<ReadinessReporter>();
        services.AddHostedService<RouteTableReporter>();
        // ASP.NET Core's own data-protection keys belong with everything else the server keeps, not in the user profile.
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDirectory, "keys", "data-protection")));
        // Give in-flight requests time to finish on SIGTERM before the store closes.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(15));
        return services;
    }

    /// <summary>
    /// One HTTPS listener for everything HTTP and one MQTT-over-TLS listener. Both pick their certificate by SNI; the
    /// MQTT listener asks for a client certificate but does not require one, since devices may use SAS tokens instead,
    /// and the device endpoint decides per device whether the certificate chain is trusted.
    /// </summary>
    public static void ListenForOutpost(this IWebHostBuilder webHost, OutpostOptions options)
    {
        // The portal's scripts and styles come from its library's static web assets. Run from a build (dotnet run, the
        // tests) they are found through the build's manifest, which ASP.NET Core reads only in Development unless asked;
        // a published server has them in wwwroot and the call changes nothing.
        webHost.UseStaticWebAssets();
        webHost.ConfigureKestrel((context, kestrel) =>
        {
            var tls = kestrel.ApplicationServices.GetRequiredService<ServerTlsAuthority>();
            var listeners = kestrel.ApplicationServices.GetRequiredService<ListenerState>();
            // ARM's own limit for a request; nothing Outpost serves over HTTP needs more, and a larger body is refused unread.
            kestrel.Limits.MaxRequestBodySize = 4 * 1024 * 1024;
            // Devices registering over HTTPS with X.509 present a client certificate, and TLS 1.3 cannot ask for one later,
            // so every connection on both listeners is offered the chance; the endpoints check what arrived.
            kestrel.Listen(IPAddress.IPv6Any, options.HttpsPort, listen =>
            {
                listeners.Https = listen;
                listen.UseClientHelloPeek();
                listen.UseHttps(TlsOptions(tls, http: true));
            });
            kestrel.Listen(IPAddress.IPv6Any, options.MqttPort, listen =>
            {
                listeners.Mqtt = listen;
                listen.UseClientHelloPeek();
                listen.UseHttps(TlsOptions(tls, http: false));
                listen.UseMqtt();
            });
        });
    }

    /// <summary>
    /// TLS 1.2 and 1.3 only, with AEAD cipher suites only: what Azure IoT Hub offers once its minimum is TLS 1.2 (no CBC,
    /// no 3DES, nothing without forward secrecy). The server certificates are ECDSA, so the TLS 1.2 suites are ECDHE-ECDSA.
    /// Windows takes its suites from the OS policy instead.
    /// </summary>
    private static readonly CipherSuitesPolicy? AeadOnly = OperatingSystem.IsWindows() ? null : new(
    [
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ]);

    /// <summary>
    /// TLS chosen per handshake: the SNI name's certificate context, and a client certificate if the client has one. A
    /// client whose ClientHello offers TLS 1.3 (<see cref="ClientHelloPeek"/>) is held to TLS 1.3, where every suite is
    /// AEAD, with no suite policy: .NET then reuses one OpenSSL context per certificate instead of building one per
    /// connection (about a twentieth of the server's CPU per device registration), and sessions can be resumed. Any
    /// other client gets TLS 1.2 or 1.3 with the AEAD-only policy.
    /// </summary>
    private static TlsHandshakeCallbackOptions TlsOptions(ServerTlsAuthority tls, bool http) => new()
    {
        HandshakeTimeout = ClientHelloPeek.Timeout,
        OnConnection = context =>
        {
            var tls13 = ClientHelloPeek.OffersTls13(context.Connection);
            return ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = tls.GetCertificateContext(context.ClientHelloInfo.ServerName),
                EnabledSslProtocols = tls13
                    ? System.Security.Authentication.SslProtocols.Tls13
                    : System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
                CipherSuitesPolicy = tls13 ? null : AeadOnly,
                ClientCertificateRequired = true,
#pragma warning disable CA5359 // Client certificates are judged per device by the endpoints, see AcceptClientCertificateForLaterCheck.
                RemoteCertificateValidationCallback = AcceptClientCertificateForLaterCheck,
#pragma warning restore CA5359
                ApplicationProtocols = http ? [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11] : null,
            });
        },
    };

    /// <summary>
    /// A client certificate is only asked for, never required, and is not judged here: what it must chain to depends
    /// on who the client claims to be (a DPS enrollment, a hub device), which the endpoints decide once they know.
    /// </summary>
    private static bool AcceptClientCertificateForLaterCheck(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate,
        System.Security.Cryptography.X509Certificates.X509Chain? chain, SslPolicyErrors errors) => true;

    /// <summary>
    /// How the portal reaches this server's APIs: its own HTTPS listener on the loopback interface under the name
    /// <c>localhost</c>, trusting the server's TLS CA, with every hub and DPS host name routed there as well, since those
    /// names need not resolve on the server's machine.
    /// </summary>
    public static Client.OutpostEndpoint SelfEndpoint(IServiceProvider services)
    {
        var listeners = services.GetRequiredService<ListenerState>();
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OutpostOptions>>().Value;
        var anchor = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Path.Combine(options.DataDirectory, "tls", "ca.pem"));
        return new Client.OutpostEndpoint(new Uri($"https://localhost:{listeners.HttpsPort}/"), anchor, RouteHostsToServer: true);
    }

    /// <summary><c>GET /healthz</c>: 200 once every listener is up, 503 while starting or stopping.</summary>
    public static IEndpointRouteBuilder MapOutpostHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", (ListenerState listeners) => listeners.Ready
            ? Results.Json(new { status = "Healthy", httpsPort = listeners.HttpsPort, mqttPort = listeners.MqttPort })
            : Results.Json(new { status = "Starting" }, statusCode: StatusCodes.Status503ServiceUnavailable));
        return endpoints;
    }
}

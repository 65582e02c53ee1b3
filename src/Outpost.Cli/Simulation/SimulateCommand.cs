using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Outpost.Cli.Commands;
using Outpost.Cli.Session;
using Spectre.Console;

namespace Outpost.Cli.Simulation;

/// <summary>
/// <c>outpost iot device simulate</c>: provisions N devices through an enrollment group with CSRs, connects them
/// with their issued certificates, sends telemetry at a rate, answers methods and desired-property changes, renews
/// certificates near expiry, shows progress while it runs and ends with a summary. It is also a load generator.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        Option<string> group = Options.ResourceGroup(), dps = Verbs.Required("--dps-name", "The DPS instance devices register with.");
        Option<string> enrollment = Verbs.Required("--enrollment-id", "--eid", "A symmetric-key enrollment group with a credential policy.");
        Option<int> count = new("--count", "-c") { Description = "How many devices.", DefaultValueFactory = _ => 1 };
        Option<string> prefix = new("--prefix") { Description = "Device ids are {prefix}-{n}.", DefaultValueFactory = _ => "sim" };
        Option<double> rate = new("--rate") { Description = "Telemetry messages per second per device.", DefaultValueFactory = _ => 1 };
        Option<int> messages = new("--messages") { Description = "Messages per device, then stop (0: until --duration ends).", DefaultValueFactory = _ => 0 };
        Option<int> duration = new("--duration") { Description = "Seconds to run (0: until interrupted or --messages are sent).", DefaultValueFactory = _ => 60 };
        Option<double> renewWithin = new("--renew-within-days") { Description = "Renew a certificate that expires within this many days.", DefaultValueFactory = _ => 7 };
        Option<int> parallel = new("--parallel") { Description = "Registrations in flight at once.", DefaultValueFactory = _ => 16 };
        Option<string?> onboardingCert = Verbs.Optional("--onboarding-cert", "X.509 onboarding: PEM of the enrollment group's signing certificate (default: the group's symmetric key).");
        Option<string?> onboardingKey = Verbs.Optional("--onboarding-key", "X.509 onboarding: PEM of that certificate's private key, to sign each device's bootstrap certificate.");
        return Verbs.Verb("simulate", "Simulate devices: zero-touch onboarding with CSRs, then telemetry, methods, twins and renewal.",
            [group, dps, enrollment, count, prefix, rate, messages, duration, renewWithin, parallel, onboardingCert, onboardingKey], async context =>
            {
                var devices = context.Get(count);
                if (devices < 1 || context.Get(rate) <= 0 || context.Get(parallel) < 1)
                {
                    throw new CliException(CliException.Usage, "InvalidArgument", "--count and --parallel must be at least 1 and --rate above 0.");
                }

                var instance = await context.Server.ArmAsync(HttpMethod.Get, Paths.Dps(context, context.Get(group), context.Get(dps)), ApiVersions.Dps, null, context.Cancellation);
                var enrollmentGroup = await DpsCommands.CallAsync(context, context.Get(group), context.Get(dps), HttpMethod.Get,
                    $"/enrollmentGroups/{Uri.EscapeDataString(context.Get(enrollment))}");
                var onboarding = new DeviceOnboarding(context.Server, instance!["properties"]!["deviceProvisioningHostName"]!.GetValue<string>(),
                    instance["properties"]!["idScope"]!.GetValue<string>(), Credential(context.Get(enrollment), enrollmentGroup, context.Get(onboardingCert), context.Get(onboardingKey)));
                var (mqttHost, mqttPort) = await context.Server.MqttEndpointAsync(context.Cancellation);
                var anchor = context.Server.TrustAnchor;

                var stats = new SimulationStats();
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.Cancellation);
                if (context.Get(duration) > 0)
                {
                    stop.CancelAfter(TimeSpan.FromSeconds(context.Get(duration)));
                }

                var clock = Stopwatch.StartNew();
                using var gate = new SemaphoreSlim(context.Get(parallel));
                var interval = TimeSpan.FromSeconds(1 / context.Get(rate));
                var running = Enumerable.Range(1, devices).Select(index => RunDeviceAsync($"{context.Get(prefix)}-{index}", onboarding, gate, stats,
                    hub => new DeviceEndpoint(hub, context.Server.Profile.RouteHostsToServer ? mqttHost : hub, mqttPort, anchor),
                    interval, context.Get(messages), TimeSpan.FromDays(context.Get(renewWithin)), stop.Token)).ToArray();
                await ShowProgressAsync(context.Output.Writer, context.Errors, Task.WhenAll(running), stats, devices);
                var summary = stats.Snapshot();
                summary["devices"] = devices;
                summary["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
                if (stats.Errors > 0)
                {
                    context.Output.Write(summary, []);
                    throw new CliException(CliException.Failure, "SimulationErrors", $"{stats.Errors} device error(s); the last: {stats.LastError}");
                }

                return summary;
            }, new("Devices", "devices"), new("Provisioned", "provisioned"), new("Messages", "messagesSent"), new("Methods", "methodsAnswered"),
            new("TwinUpdates", "twinUpdatesReported"), new("Renewed", "certificatesRenewed"), new("Errors", "errors"), new("Seconds", "seconds"));
    }

    private static OnboardingCredential Credential(string enrollment, System.Text.Json.Nodes.JsonNode? group, string? certificatePath, string? keyPath)
    {
        if (certificatePath is null != keyPath is null)
        {
            throw new CliException(CliException.Usage, "InvalidArgument", "--onboarding-cert and --onboarding-key go together.");
        }

        if (certificatePath is not null)
        {
            try
            {
                return new OnboardingCredential.SigningCertificate(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(certificatePath, keyPath));
            }
            catch (Exception exception) when (exception is System.Security.Cryptography.CryptographicException or IOException)
            {
                throw new CliException(CliException.Usage, "InvalidArgument", $"--onboarding-cert and --onboarding-key could not be read as a PEM certificate and its key: {exception.Message}");
            }
        }

        return group?["attestation"]?["symmetricKey"]?["primaryKey"]?.GetValue<string>() is { } key
            ? new OnboardingCredential.GroupKey(key)
            : throw new CliException(CliException.InvalidRequest, "NotSymmetricKey",
                $"Enrollment group '{enrollment}' does not use symmetric keys; give its CA with --onboarding-cert and --onboarding-key for X.509 onboarding.");
    }

    private static async Task RunDeviceAsync(string deviceId, DeviceOnboarding onboarding, SemaphoreSlim gate, SimulationStats stats,
        Func<string, DeviceEndpoint> endpoint, TimeSpan interval, int messages, TimeSpan renewWithin, CancellationToken stop)
    {
        try
        {
            (string Hub, System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate) registered;
            await gate.WaitAsync(stop);
            try
            {
                registered = await onboarding.RegisterAsync(deviceId, stop);
                stats.Provisioned();
            }
            finally
            {
                gate.Release();
            }

            await using var device = new SimulatedDevice(deviceId, endpoint(registered.Hub), stats);
            await device.RunAsync(registered.Certificate, interval, messages, renewWithin, stop);
        }
        catch (Exception exception) when (stop.IsCancellationRequested && exception is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationTimedOutException)
        {
            // The run's time is up. MQTTnet ends a publish still waiting for its PUBACK with a "timed out" exception
            // when its token is cancelled, so that one is the end of the run too, not a device error.
        }
        catch (Exception exception) when (exception is CliException or Outpost.Client.OutpostApiException or InvalidOperationException or TimeoutException or MQTTnet.Exceptions.MqttCommunicationException
            or HttpRequestException)
        {
            stats.Failed(deviceId, exception);
        }
    }

    /// <summary>
    /// A live table on a terminal; otherwise a progress line every two seconds on the error stream, so that the output
    /// stays the summary alone for scripts.
    /// </summary>
    private static async Task ShowProgressAsync(TextWriter output, TextWriter progress, Task run, SimulationStats stats, int devices)
    {
        if (ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected)
        {
            var table = new Table().AddColumns("Provisioned", "Connected", "Messages", "Methods", "Twin updates", "Renewed", "Errors");
            await AnsiConsole.Live(table).StartAsync(async live =>
            {
                while (await Task.WhenAny(run, Task.Delay(500)) != run)
                {
                    Refresh(table, stats, devices);
                    live.Refresh();
                }

                Refresh(table, stats, devices);
            });
            await run;
            return;
        }

        while (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(2))) != run)
        {
            var snapshot = stats.Snapshot();
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"provisioned {snapshot["provisioned"]}/{devices}, connected {snapshot["connected"]}, messages {snapshot["messagesSent"]}, errors {snapshot["errors"]}"));
        }

        await run;
    }

    private static void Refresh(Table table, SimulationStats stats, int devices)
    {
        var snapshot = stats.Snapshot();
        table.Rows.Clear();
        table.AddRow($"{snapshot["provisioned"]}/{devices}", $"{snapshot["connected"]}", $"{snapshot["messagesSent"]}", $"{snapshot["methodsAnswered"]}",
            $"{snapshot["twinUpdatesReported"]}", $"{snapshot["certificatesRenewed"]}", $"{snapshot["errors"]}");
    }
}

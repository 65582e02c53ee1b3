using BenchmarkDotNet.Running;
using Outpost.Benchmarks.RegistrationLoad;
using Outpost.Benchmarks.TelemetryLoad;

// The load commands run end to end against a real server on this machine; anything else goes to BenchmarkDotNet.
if (args.FirstOrDefault() is "registrations" or "telemetry" or "connections")
{
    // Every simulated device is a client of its own: none may resume a TLS session another one started, as the
    // process-wide session cache of .NET's TLS client would otherwise let them.
    AppContext.SetSwitch("System.Net.Security.DisableTlsResume", true);
}

switch (args.FirstOrDefault())
{
    case "registrations":
        return await LoadCommand.RunAsync(args[1..]);
    case "telemetry":
        return await TelemetryCommand.RunAsync(args[1..]);
    case "connections":
        return await ConnectionsCommand.RunAsync(args[1..]);
    case "mqttnet-broker":
        return await MqttnetBroker.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

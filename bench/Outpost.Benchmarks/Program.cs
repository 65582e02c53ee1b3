using BenchmarkDotNet.Running;
using Outpost.Benchmarks.RegistrationLoad;
using Outpost.Benchmarks.TelemetryLoad;

// The load commands run end to end against a real server on this machine; anything else goes to BenchmarkDotNet.
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

using BenchmarkDotNet.Running;
using Outpost.Benchmarks.RegistrationLoad;

// `registrations` runs the end-to-end DPS load against a real server; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "registrations")
{
    return await LoadCommand.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

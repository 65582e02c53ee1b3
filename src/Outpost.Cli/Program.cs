using System.Collections;
using Outpost.Cli;

var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(entry => (string)entry.Key, entry => (string?)entry.Value);
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, arguments) =>
{
    arguments.Cancel = true;
    interrupt.Cancel();
};
return await CliApplication.RunAsync(args, Console.Out, Console.Error, environment, interrupt.Token);

using System.CommandLine;
using Outpost.Cli.Commands;
using Outpost.Cli.Session;

namespace Outpost.Cli;

/// <summary>
/// The <c>outpost</c> command line: the walkthrough's steps with <c>az</c>'s verbs, through the server's public APIs
/// only. Exit codes: 0 done, 1 failed (server or network), 2 usage, 3 not found, 4 conflict, 5 not allowed,
/// 6 refused as invalid, 7 not signed in.
/// </summary>
internal static class CliApplication
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Outpost: a self-hosted IoT hub, device provisioning service and device CA, managed as az manages Azure IoT.");
        root.Options.Add(Verbs.OutputOption);
        root.Subcommands.Add(LoginCommand.Create());
        root.Subcommands.Add(GroupCommands.Group());
        root.Subcommands.Add(GroupCommands.Identity());
        root.Subcommands.Add(RoleCommands.Create());
        root.Subcommands.Add(DeviceRegistryCommands.Create());
        root.Subcommands.Add(Verbs.Group("iot", "IoT hubs, DPS and their devices.", HubCommands.Create()));
        root.Subcommands.Add(ActivityLogCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, IReadOnlyDictionary<string, string?> environment,
        CancellationToken cancellationToken = default)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await errors.WriteLineAsync($"ERROR: (InvalidArgument) {error.Message}");
            }

            await errors.WriteLineAsync("Run with --help to see the command's options.");
            return CliException.Usage;
        }

        Verbs.Environment.Value = environment;
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = errors }, cancellationToken);
    }
}

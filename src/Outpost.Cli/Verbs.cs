using Outpost.Client;
using System.CommandLine;
using System.Text.Json.Nodes;
using Outpost.Cli.Output;
using Outpost.Cli.Session;

namespace Outpost.Cli;

/// <summary>Builds commands the way every verb works: parse, run against the server, print, and turn failures into exit codes.</summary>
internal static class Verbs
{
    public static readonly Option<string> OutputOption = new("--output", "-o")
    {
        Description = "Output format: json (default) or table.",
        DefaultValueFactory = _ => "json",
        Recursive = true,
    };

    /// <summary>Set by <see cref="CliApplication"/> for the invocation: the environment the command runs in.</summary>
    internal static readonly AsyncLocal<IReadOnlyDictionary<string, string?>> Environment = new();

    public static Command Group(string name, string description, params Command[] children)
    {
        var command = new Command(name, description);
        foreach (var child in children)
        {
            command.Subcommands.Add(child);
        }

        return command;
    }

    public static Command Verb(string name, string description, Option[] options, Func<CliContext, Task<JsonNode?>> action, params Column[] columns)
    {
        var command = new Command(name, description);
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var errors = parse.InvocationConfiguration.Error;
            var format = parse.GetValue(OutputOption) ?? "json";
            if (format is not ("json" or "table"))
            {
                await errors.WriteLineAsync($"ERROR: (InvalidArgument) --output '{format}' is not one of json, table.");
                return CliException.Usage;
            }

            using var context = new CliContext(parse, new OutputFormat(output, format), errors, Environment.Value ?? new Dictionary<string, string?>(), cancellationToken);
            try
            {
                context.Output.Write(await action(context), columns);
                return 0;
            }
            catch (CliException exception)
            {
                await errors.WriteLineAsync($"ERROR: ({exception.Code}) {exception.Message}");
                return exception.ExitCode;
            }
            catch (OutpostApiException exception)
            {
                var hint = exception.Status == 0 ? " Check `outpost login --server` (and --route-hosts when host names do not resolve)." : string.Empty;
                await errors.WriteLineAsync($"ERROR: ({exception.Code}) {exception.Message}{hint}");
                return exception.Status == 0 ? CliException.Failure : CliException.ForStatus(exception.Status);
            }
        });
        return command;
    }

    public static Option<string> Required(string name, string alias, string description) =>
        new(name, alias) { Description = description, Required = true };

    public static Option<string> Required(string name, string description) => new(name) { Description = description, Required = true };

    public static Option<string?> Optional(string name, string description) => new(name) { Description = description };

    public static Option<string?> Optional(string name, string alias, string description) => new(name, alias) { Description = description };

    /// <summary>Parses a JSON option value; a bad one is a usage error naming the option.</summary>
    public static JsonNode ParseJson(string? text, string option)
    {
        try
        {
            return JsonNode.Parse(text ?? "null") ?? throw new System.Text.Json.JsonException("null");
        }
        catch (System.Text.Json.JsonException exception)
        {
            throw new CliException(CliException.Usage, "InvalidArgument", $"{option} must be JSON: {exception.Message}");
        }
    }
}

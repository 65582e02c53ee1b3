using Outpost.Core;

namespace Outpost.Server.Hosting;

/// <summary>The start flags of operator-contract.md, mapped onto the <c>Outpost</c> configuration section.</summary>
internal static class CommandLineSwitches
{
    public static readonly Dictionary<string, string> Map = new(StringComparer.Ordinal)
    {
        ["--data-dir"] = $"{OutpostOptions.SectionName}:{nameof(OutpostOptions.DataDirectory)}",
        ["--https-port"] = $"{OutpostOptions.SectionName}:{nameof(OutpostOptions.HttpsPort)}",
        ["--mqtt-port"] = $"{OutpostOptions.SectionName}:{nameof(OutpostOptions.MqttPort)}",
        ["--dns-suffix"] = $"{OutpostOptions.SectionName}:{nameof(OutpostOptions.DnsSuffix)}",
    };

    /// <summary>Reads and checks the options, collecting every problem so an operator fixes them in one go.</summary>
    public static OutpostOptions Read(IConfiguration configuration)
    {
        var options = configuration.GetSection(OutpostOptions.SectionName).Get<OutpostOptions>() ?? new OutpostOptions();
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            problems.Add("--data-dir must name a directory");
        }

        foreach (var (flag, port) in new[] { ("--https-port", options.HttpsPort), ("--mqtt-port", options.MqttPort) })
        {
            if (port is < 0 or > 65535)
            {
                problems.Add($"{flag} must be from 0 to 65535 (0 picks a free port), but it is {port}");
            }
        }

        if (options.HttpsPort != 0 && options.HttpsPort == options.MqttPort)
        {
            problems.Add($"--https-port and --mqtt-port must differ, but both are {options.HttpsPort}");
        }

        if (string.IsNullOrWhiteSpace(options.DnsSuffix) || options.DnsSuffix.Contains(' ', StringComparison.Ordinal))
        {
            problems.Add($"--dns-suffix must be a DNS name such as 'outpost.localhost', but it is '{options.DnsSuffix}'");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Outpost cannot start: " + string.Join("; ", problems) + ".");
        }

        options.DataDirectory = Path.GetFullPath(options.DataDirectory);
        return options;
    }
}

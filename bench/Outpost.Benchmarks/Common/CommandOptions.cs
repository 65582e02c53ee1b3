using System.Globalization;

namespace Outpost.Benchmarks.Common;

/// <summary>The <c>--name value</c> options of the load commands.</summary>
internal static class CommandOptions
{
    /// <summary>The option's whole-number value, <paramref name="fallback"/> when absent, or null when it is not a number.</summary>
    public static int? Number(string[] args, string name, int fallback) =>
        Raw(args, name) is { } value ? int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null : fallback;

    public static string? Raw(string[] args, string name) => args.SkipWhile(arg => arg != name).Skip(1).FirstOrDefault();

    /// <summary>The value at fraction <paramref name="p"/> of sorted <paramref name="values"/>, formatted for a report.</summary>
    public static string Percentile(double[] sorted, double p) =>
        sorted[(int)Math.Min(sorted.Length - 1, Math.Max(0, Math.Ceiling(p * sorted.Length) - 1))].ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>A process's resident memory in MiB, from <c>/proc/{pid}/status</c>.</summary>
    public static double ResidentMebibytes(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(entry => entry.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}

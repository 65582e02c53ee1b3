using System.Text.Json;
using System.Text.Json.Serialization;

namespace Outpost.Cli.Session;

/// <summary>
/// What <c>outpost login</c> remembers: the server, the service principal to sign in as, and the CA to trust. Kept in
/// <c>$OUTPOST_CLI_HOME/profile.json</c> (default <c>~/.outpost-cli</c>), readable by its owner only, since it holds a secret.
/// </summary>
internal sealed record CliProfile(
    [property: JsonPropertyName("server")] string Server,
    [property: JsonPropertyName("tenantId")] string TenantId,
    [property: JsonPropertyName("clientId")] string ClientId,
    [property: JsonPropertyName("clientSecret")] string ClientSecret,
    [property: JsonPropertyName("subscriptionId")] string SubscriptionId,
    [property: JsonPropertyName("caFile")] string? CaFile,
    [property: JsonPropertyName("routeHostsToServer")] bool RouteHostsToServer)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Directory(IReadOnlyDictionary<string, string?> environment) =>
        environment.GetValueOrDefault("OUTPOST_CLI_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".outpost-cli");

    public static CliProfile Load(IReadOnlyDictionary<string, string?> environment)
    {
        var path = Path.Combine(Directory(environment), "profile.json");
        if (!File.Exists(path))
        {
            throw new CliException(CliException.NotSignedIn, "NotSignedIn", $"Not signed in ({path} does not exist). Run `outpost login` first.");
        }

        return JsonSerializer.Deserialize<CliProfile>(File.ReadAllText(path))
            ?? throw new CliException(CliException.NotSignedIn, "NotSignedIn", $"{path} is not a profile; run `outpost login` again.");
    }

    public void Save(IReadOnlyDictionary<string, string?> environment)
    {
        var directory = Directory(environment);
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "profile.json");
        File.WriteAllText(path, JsonSerializer.Serialize(this, Indented));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}

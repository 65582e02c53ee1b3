using System.Text.Json;
using System.Text.Json.Serialization;

namespace Outpost.Management.Identity;

/// <summary>
/// <c>admin.json</c> in the data directory: the bootstrap service principal's client credentials, readable only by the
/// owner. It is the one place the secret exists in clear; the database keeps a hash.
/// </summary>
internal sealed record AdminCredentialsFile(
    [property: JsonPropertyName("tenantId")] string TenantId,
    [property: JsonPropertyName("clientId")] string ClientId,
    [property: JsonPropertyName("clientSecret")] string ClientSecret,
    [property: JsonPropertyName("subscriptionId")] string SubscriptionId)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static AdminCredentialsFile? TryRead(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var file = JsonSerializer.Deserialize<AdminCredentialsFile>(File.ReadAllText(path));
        return file is { TenantId.Length: > 0, ClientId.Length: > 0, ClientSecret.Length: > 0, SubscriptionId.Length: > 0 }
            ? file
            : throw new InvalidOperationException($"'{path}' must hold tenantId, clientId, clientSecret and subscriptionId. Fix it, or delete it to have a new secret written at the next start.");
    }

    /// <summary>Writes through a temporary file and a rename, so a crash never leaves a torn file; mode 0600 from the start.</summary>
    public void Write(string path)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, this, Indented);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}

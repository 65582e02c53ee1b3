namespace Outpost.Core.Storage;

/// <summary>
/// Ids of the records that reserve server-wide names (host names of hubs and DPS instances, DPS ID scopes). Each
/// record's body is <c>{"resourceId": …}</c>, so data planes find the resource a host name or ID scope belongs to.
/// </summary>
public static class GlobalNameIds
{
    public const string HostNames = "hostNames";
    public const string IdScopes = "idScopes";

    public static string Id(string kind, string name) => $"/providers/Outpost/{kind}/{name.ToLowerInvariant()}";

    /// <summary>The id of the resource holding <paramref name="name"/>, or null when nothing holds it.</summary>
    public static async Task<string?> OwnerAsync(IOutpostStore store, string kind, string name, CancellationToken cancellationToken = default)
    {
        var reservation = await store.GetResourceAsync(Id(kind, name), cancellationToken);
        return reservation is null ? null : System.Text.Json.Nodes.JsonNode.Parse(reservation.Body)?["resourceId"]?.GetValue<string>();
    }
}

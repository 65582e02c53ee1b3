using System.Text.Json.Nodes;
using Outpost.Core.Storage;

namespace Outpost.Management.Arm;

/// <summary>The answer of Azure's checkNameAvailability actions: free, invalid, or already taken anywhere on this server.</summary>
internal static class NameAvailability
{
    public static async Task<JsonObject> CheckAsync(string? problem, string hostName, string kind, string name, IOutpostStore store, CancellationToken cancellationToken)
    {
        if (problem is not null)
        {
            return new JsonObject { ["nameAvailable"] = false, ["reason"] = "Invalid", ["message"] = problem };
        }

        var taken = await GlobalNames.IsTakenAsync(store, GlobalNames.HostNames, hostName, cancellationToken);
        return taken
            ? new JsonObject { ["nameAvailable"] = false, ["reason"] = "AlreadyExists", ["message"] = $"The {kind} name '{name}' is already taken; names are unique across the whole server." }
            : new JsonObject { ["nameAvailable"] = true, ["reason"] = "Invalid", ["message"] = string.Empty };
    }
}

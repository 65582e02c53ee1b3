using System.Text.Json.Nodes;

namespace Outpost.IotHub.Query;

/// <summary>A parsed <c>SELECT … FROM devices [WHERE …]</c>: what to return of each twin, and which twins match.</summary>
internal sealed record TwinQuery(IReadOnlyList<string>? Fields, string? CountAlias, Func<JsonObject, bool> Matches)
{
    /// <summary><c>SELECT *</c>: whole twins, which the SDK reads as item type Twin.</summary>
    public bool SelectsTwins => Fields is null && CountAlias is null;

    /// <summary>The result items for the twins that matched.</summary>
    public IReadOnlyList<JsonNode> Project(IReadOnlyList<JsonObject> matched)
    {
        if (CountAlias is not null)
        {
            return [new JsonObject { [CountAlias] = matched.Count }];
        }

        if (Fields is null)
        {
            return matched;
        }

        return [.. matched.Select(twin =>
        {
            var item = new JsonObject();
            foreach (var field in Fields)
            {
                item[field.Split('.')[^1]] = TwinPaths.Find(twin, field)?.DeepClone();
            }

            return (JsonNode)item;
        })];
    }
}

/// <summary>Looks up a dotted path (<c>tags.site</c>, <c>properties.reported.firmware</c>) in a twin.</summary>
internal static class TwinPaths
{
    public static JsonNode? Find(JsonObject twin, string path, out bool defined)
    {
        JsonNode? current = twin;
        defined = true;
        foreach (var segment in path.Split('.'))
        {
            if (current is not JsonObject container || !container.TryGetPropertyValue(segment, out current))
            {
                defined = false;
                return null;
            }
        }

        return current;
    }

    public static JsonNode? Find(JsonObject twin, string path) => Find(twin, path, out _);
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace Outpost.Portal.Components.Common;

/// <summary>Reading API answers in pages: a dotted path to a value shown as text, empty when absent.</summary>
internal static class Json
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Text(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject obj ? obj[part] : null;
        }

        return node switch
        {
            null => string.Empty,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            _ => node.ToJsonString(),
        };
    }

    public static string Pretty(JsonNode? node) => node?.ToJsonString(Indented) ?? string.Empty;
}

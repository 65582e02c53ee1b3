using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Outpost.Core.Errors;

namespace Outpost.Management.Arm;

/// <summary>Reading request bodies and writing ARM resource JSON.</summary>
internal static class ArmJson
{
    /// <summary>Writes quotes and apostrophes as themselves: error messages are read by people, and the body is always JSON, never HTML.</summary>
    public static readonly JsonSerializerOptions WriteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads the body as a JSON object; an empty, non-JSON or non-object body is refused with the parser's reason.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException exception)
        {
            throw new OutpostException(ErrorCode.InvalidRequestContent,
                $"The request body is not valid JSON: {exception.Message} Send a JSON object such as {{\"location\":\"eastus\",\"properties\":{{}}}}.");
        }

        return node as JsonObject ?? throw new OutpostException(ErrorCode.InvalidRequestContent,
            $"The request body must be a JSON object, but it was {(node is null ? "empty" : node.GetValueKind().ToString().ToLowerInvariant())}.");
    }

    public static IResult Ok(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Text(body.ToJsonString(WriteOptions), "application/json; charset=utf-8", statusCode: status);

    public static IResult List(IEnumerable<string> bodies) =>
        Ok(new JsonObject { ["value"] = new JsonArray([.. bodies.Select(body => JsonNode.Parse(body))]) });

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    /// <summary>Reads an optional string property, refusing any other JSON kind with the property path in the message.</summary>
    public static string? OptionalString(JsonObject parent, string name, string path)
    {
        if (!parent.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        return node.GetValueKind() == JsonValueKind.String
            ? node.GetValue<string>()
            : throw new OutpostException(ErrorCode.InvalidRequestContent, $"'{path}' must be a string, but it was {node.GetValueKind().ToString().ToLowerInvariant()}.", path);
    }

    /// <summary>Reads an optional boolean property, refusing any other JSON kind.</summary>
    public static bool? OptionalBool(JsonObject parent, string name, string path)
    {
        if (!parent.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new OutpostException(ErrorCode.InvalidRequestContent, $"'{path}' must be true or false, but it was {node.ToJsonString()}.", path),
        };
    }

    /// <summary>Reads an optional whole-number property within a range, naming the range when refused.</summary>
    public static int? OptionalInt(JsonObject parent, string name, string path, int minimum, int maximum)
    {
        if (!parent.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<int>(out var value) || value < minimum || value > maximum)
        {
            throw new OutpostException(ErrorCode.InvalidParameter, $"'{path}' is {node.ToJsonString()}, but it must be a whole number from {minimum} to {maximum}.", path);
        }

        return value;
    }

    /// <summary>Reads an optional array property, refusing any other JSON kind.</summary>
    public static JsonArray? OptionalArray(JsonObject parent, string name, string path)
    {
        if (!parent.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        return node as JsonArray ?? throw new OutpostException(ErrorCode.InvalidRequestContent,
            $"'{path}' must be a JSON array, but it was {node.GetValueKind().ToString().ToLowerInvariant()}.", path);
    }

    /// <summary>Reads an optional object property, refusing any other JSON kind.</summary>
    public static JsonObject? OptionalObject(JsonObject parent, string name, string path)
    {
        if (!parent.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        return node as JsonObject ?? throw new OutpostException(ErrorCode.InvalidRequestContent,
            $"'{path}' must be a JSON object, but it was {node.GetValueKind().ToString().ToLowerInvariant()}.", path);
    }

    /// <summary>Reads <c>tags</c>: an object whose values are all strings, as ARM requires.</summary>
    public static JsonObject Tags(JsonObject body, JsonObject? existing = null)
    {
        var tags = OptionalObject(body, "tags", "tags");
        if (tags is null)
        {
            return existing?.DeepClone().AsObject() ?? [];
        }

        foreach (var (key, value) in tags)
        {
            if (value is null || value.GetValueKind() != JsonValueKind.String)
            {
                throw new OutpostException(ErrorCode.InvalidRequestContent, $"The value of tag '{key}' must be a string.", $"tags.{key}");
            }
        }

        return tags.DeepClone().AsObject();
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Outpost.Core.Errors;

namespace Outpost.Core.Json;

/// <summary>Request bodies of the data-plane APIs, read as JSON objects with the parser's reason on refusal.</summary>
public static class JsonBody
{
    public static async Task<JsonObject> ReadObjectAsync(Stream body, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonNode.ParseAsync(body, cancellationToken: cancellationToken) as JsonObject
                ?? throw new OutpostException(ErrorCode.InvalidRequestContent, "The request body must be a JSON object.");
        }
        catch (JsonException exception)
        {
            throw new OutpostException(ErrorCode.InvalidRequestContent, $"The request body is not valid JSON: {exception.Message}");
        }
    }
}

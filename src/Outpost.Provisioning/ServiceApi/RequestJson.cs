using System.Text.Json;
using System.Text.Json.Nodes;
using Outpost.Core.Errors;

namespace Outpost.Provisioning.ServiceApi;

internal static class RequestJson
{
    /// <summary>Reads the body as a JSON object; anything else is refused with the parser's reason.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken) as JsonObject
                ?? throw new OutpostException(ErrorCode.InvalidRequestContent, "The request body must be a JSON object.");
        }
        catch (JsonException exception)
        {
            throw new OutpostException(ErrorCode.InvalidRequestContent, $"The request body is not valid JSON: {exception.Message}");
        }
    }
}

using System.Text.Json.Nodes;
using Outpost.Core.Json;

namespace Outpost.Provisioning.ServiceApi;

internal static class RequestJson
{
    /// <summary>Reads the body as a JSON object; anything else is refused with the parser's reason.</summary>
    public static Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken) =>
        JsonBody.ReadObjectAsync(request.Body, cancellationToken);
}

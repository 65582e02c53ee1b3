using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Json;
using Outpost.IotHub.Connections;
using Outpost.IotHub.Devices;
using Outpost.IotHub.ServiceApi;
using Outpost.IotHub.Twins;

namespace Outpost.IotHub.Query;

/// <summary>
/// <c>POST /devices/query</c> with <c>{"query":"SELECT …"}</c>, what azure-iothub's <c>createQuery().next()</c> sends:
/// pages of <c>x-ms-max-item-count</c> items (100 by default), and an <c>x-ms-continuation</c> header only while more
/// pages follow, since the SDK takes its presence to mean "more results".
/// </summary>
internal static class QueryEndpoints
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    public static void MapQuery(this IEndpointRouteBuilder hub)
    {
        hub.MapPost("/devices/query", QueryAsync);
    }

    private static async Task<IResult> QueryAsync(HttpContext context, HubServiceApi api, DeviceRegistry registry, DeviceConnections connections, CancellationToken cancellationToken)
    {
        var hub = await api.AuthorizeAsync(context, HubAccess.ReadTwins, cancellationToken);
        var body = await JsonBody.ReadObjectAsync(context.Request.Body, cancellationToken);
        var text = body["query"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new HubException(HubError.ArgumentInvalid, "The body must be {\"query\": \"SELECT * FROM devices [WHERE …]\"}.");
        }

        var query = TwinQueryParser.ParseQuery(text);
        var pageSize = PageSize(context.Request.Headers["x-ms-max-item-count"].ToString());
        var offset = Continuation(context.Request.Headers["x-ms-continuation"].ToString());

        var twins = (await registry.ListAsync(hub, cancellationToken))
            .Select(device => TwinDocument.ToWire(device, connections.Find(hub.Id, device.DeviceId) is not null))
            .Where(query.Matches)
            .ToList();
        var results = query.Project(twins);
        var page = results.Skip(offset).Take(pageSize).Select(item => item.DeepClone()).ToArray();
        context.Response.Headers["x-ms-item-type"] = query.SelectsTwins ? "Twin" : "Raw";
        if (offset + page.Length < results.Count)
        {
            context.Response.Headers["x-ms-continuation"] = Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + page.Length).ToString(CultureInfo.InvariantCulture)));
        }

        return Results.Json(new JsonArray(page));
    }

    private static int PageSize(string header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return DefaultPageSize;
        }

        return int.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is > 0 and <= MaxPageSize
            ? size
            : throw new HubException(HubError.ArgumentInvalid, $"x-ms-max-item-count '{header}' is not valid; ask for 1 to {MaxPageSize} items.");
    }

    private static int Continuation(string header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return 0;
        }

        try
        {
            return int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header)), NumberStyles.None, CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is FormatException or OverflowException)
        {
            throw new HubException(HubError.ArgumentInvalid, "x-ms-continuation is not a token this hub gave out; send back the header of the previous page unchanged.");
        }
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Provisioning.Enrollments;
using Outpost.Provisioning.Instances;

namespace Outpost.Provisioning.ServiceApi;

/// <summary>
/// The DPS service API for enrollments and enrollment groups (api-versions 2021-10-01 and 2025-07-01-preview), served
/// on an instance's own host name: create or replace with etags, get, delete, query with continuation, bulk
/// operations and the attestation mechanism. Paths compare case-insensitively, as the SDK's mixed casing needs.
/// </summary>
internal static class EnrollmentEndpoints
{
    public static readonly IReadOnlyList<string> ApiVersions = ["2019-03-31", "2021-06-01", "2021-10-01", "2025-07-01-preview"];

    public static void MapEnrollments(this IEndpointRouteBuilder service)
    {
        foreach (var kind in (EnrollmentKind[])[EnrollmentKind.Individual, EnrollmentKind.Group])
        {
            service.MapPut($"/{kind.Segment}/{{id}}", (string id, HttpContext context, ProvisioningServiceApi api, CancellationToken cancellationToken) =>
                PutAsync(id, kind, context, api, cancellationToken));
            service.MapGet($"/{kind.Segment}/{{id}}", (string id, HttpContext context, ProvisioningServiceApi api, CancellationToken cancellationToken) =>
                GetAsync(id, kind, context, api, cancellationToken));
            service.MapDelete($"/{kind.Segment}/{{id}}", (string id, HttpContext context, ProvisioningServiceApi api, CancellationToken cancellationToken) =>
                DeleteAsync(id, kind, context, api, cancellationToken));
            service.MapPost($"/{kind.Segment}/{{id}}/attestationmechanism", (string id, HttpContext context, ProvisioningServiceApi api, CancellationToken cancellationToken) =>
                AttestationAsync(id, kind, context, api, cancellationToken));
            service.MapPost($"/{kind.Segment}/query", (HttpContext context, ProvisioningServiceApi api, CancellationToken cancellationToken) =>
                QueryAsync(kind, context, api, cancellationToken));
        }

        service.MapPost("/enrollments", BulkAsync);
    }

    private static async Task<IResult> PutAsync(string id, EnrollmentKind kind, HttpContext context, ProvisioningServiceApi api, CancellationToken cancellationToken)
    {
        var instance = await api.AuthorizeAsync(context, "EnrollmentWrite", cancellationToken);
        var body = await RequestJson.ReadObjectAsync(context.Request, cancellationToken);
        var document = await WriteAsync(id, kind, body, context.Request.Headers.IfMatch.ToString(), instance, api, cancellationToken);
        return Json(document);
    }

    private static async Task<IResult> GetAsync(string id, EnrollmentKind kind, HttpContext context, ProvisioningServiceApi api, CancellationToken cancellationToken)
    {
        var instance = await api.AuthorizeAsync(context, "EnrollmentRead", cancellationToken);
        return Json(await RequireAsync(id, kind, instance, api, cancellationToken));
    }

    private static async Task<IResult> AttestationAsync(string id, EnrollmentKind kind, HttpContext context, ProvisioningServiceApi api, CancellationToken cancellationToken)
    {
        var instance = await api.AuthorizeAsync(context, "EnrollmentRead", cancellationToken);
        return Json((await RequireAsync(id, kind, instance, api, cancellationToken))["attestation"]!.DeepClone());
    }

    private static async Task<IResult> DeleteAsync(string id, EnrollmentKind kind, HttpContext context, ProvisioningServiceApi api, CancellationToken cancellationToken)
    {
        var instance = await api.AuthorizeAsync(context, "EnrollmentWrite", cancellationToken);
        var existing = await RequireAsync(id, kind, instance, api, cancellationToken);
        RequireEtag(context.Request.Headers.IfMatch.ToString(), existing, kind);
        await api.Store.CommitAsync(new StoreChangeSet().DeleteResourceTree(kind.Id(instance.Id, id)), cancellationToken);
        return Results.NoContent();
    }

    /// <summary>Pages through enrollments; <c>x-ms-continuation</c> is sent only while more pages remain, as the SDK's query reads it.</summary>
    private static async Task<IResult> QueryAsync(EnrollmentKind kind, HttpContext context, ProvisioningServiceApi api, CancellationToken cancellationToken)
    {
        var instance = await api.AuthorizeAsync(context, "EnrollmentRead", cancellationToken);
        var body = await RequestJson.ReadObjectAsync(context.Request, cancellationToken);
        var query = body["query"] is JsonValue text && text.GetValueKind() == JsonValueKind.String ? text.GetValue<string>().Trim() : null;
        if (query is not ("*" or "SELECT *" or "select *"))
        {
            throw new OutpostException(ErrorCode.InvalidParameter, $"Only the query \"*\" (all {kind.Noun}s) is supported; got '{query}'.", "query");
        }

        var all = await api.Store.GetResourcesAsync(new ResourceQuery(kind.Type, instance.SubscriptionId, instance.ResourceGroup, instance.Id), cancellationToken);
        var size = int.TryParse(context.Request.Headers["x-ms-max-item-count"], NumberStyles.None, CultureInfo.InvariantCulture, out var requested) && requested > 0 ? requested : 100;
        var start = int.TryParse(context.Request.Headers["x-ms-continuation"], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : 0;
        var page = all.Skip(start).Take(size).Select(resource => JsonNode.Parse(resource.Body)).ToArray();
        if (start + size < all.Count)
        {
            context.Response.Headers["x-ms-continuation"] = (start + size).ToString(CultureInfo.InvariantCulture);
        }

        context.Response.Headers["x-ms-item-type"] = kind == EnrollmentKind.Individual ? "Enrollment" : "EnrollmentGroup";
        return Json(new JsonArray(page));
    }

    /// <summary>Bulk create, update, updateIfMatchEtag or delete of individual enrollments; each failure is reported, the rest applied.</summary>
    private static async Task<IResult> BulkAsync(HttpContext context, ProvisioningServiceApi api, CancellationToken cancellationToken)
    {
        var instance = await api.AuthorizeAsync(context, "EnrollmentWrite", cancellationToken);
        var body = await RequestJson.ReadObjectAsync(context.Request, cancellationToken);
        var mode = body["mode"]?.GetValue<string>() ?? string.Empty;
        if (mode is not ("create" or "update" or "updateIfMatchEtag" or "delete"))
        {
            throw new OutpostException(ErrorCode.InvalidParameter, $"mode '{mode}' is not valid; use create, update, updateIfMatchEtag or delete.", "mode");
        }

        var errors = new JsonArray();
        foreach (var item in body["enrollments"] as JsonArray ?? throw new OutpostException(ErrorCode.InvalidParameter, "'enrollments' must be an array.", "enrollments"))
        {
            var enrollment = item as JsonObject ?? [];
            var id = enrollment["registrationId"]?.GetValue<string>() ?? string.Empty;
            try
            {
                var existing = await api.Store.GetResourceAsync(EnrollmentKind.Individual.Id(instance.Id, id), cancellationToken);
                if (mode == "delete")
                {
                    await api.Store.CommitAsync(new StoreChangeSet().DeleteResourceTree(EnrollmentKind.Individual.Id(instance.Id, id)), cancellationToken);
                }
                else if (mode == "create" && existing is not null)
                {
                    throw new OutpostException(ErrorCode.Conflict, $"The enrollment '{id}' already exists.");
                }
                else
                {
                    await WriteAsync(id, EnrollmentKind.Individual, enrollment, mode == "updateIfMatchEtag" ? enrollment["etag"]?.GetValue<string>() ?? string.Empty : string.Empty,
                        instance, api, cancellationToken);
                }
            }
            catch (OutpostException exception)
            {
                var (_, errorCode) = ProvisioningErrors.Classify(exception.Code);
                errors.Add(new JsonObject { ["registrationId"] = id, ["errorCode"] = errorCode, ["errorStatus"] = exception.Message });
            }
        }

        return Json(new JsonObject { ["isSuccessful"] = errors.Count == 0, ["errors"] = errors });
    }

    private static async Task<JsonObject> WriteAsync(string id, EnrollmentKind kind, JsonObject body, string ifMatch, ProvisioningInstance instance,
        ProvisioningServiceApi api, CancellationToken cancellationToken)
    {
        if (EnrollmentDocument.IdProblem(id, kind) is { } problem)
        {
            throw new OutpostException(ErrorCode.InvalidParameter, problem, kind.IdProperty);
        }

        var existing = await api.Store.GetResourceAsync(kind.Id(instance.Id, id), cancellationToken);
        var current = existing is null ? null : JsonNode.Parse(existing.Body)!.AsObject();
        if (current is not null)
        {
            RequireEtag(ifMatch, current, kind);
        }

        var document = await EnrollmentDocument.BuildAsync(body, current, id, kind, instance, api.Store, api.Time.GetUtcNow(), cancellationToken);
        await api.Store.CommitAsync(new StoreChangeSet().PutResource(
            new StoredResource(kind.Id(instance.Id, id), kind.Type, instance.SubscriptionId, instance.ResourceGroup, instance.Id, document.ToJsonString()),
            existing?.Version ?? 0), cancellationToken);
        return document;
    }

    private static async Task<JsonObject> RequireAsync(string id, EnrollmentKind kind, ProvisioningInstance instance, ProvisioningServiceApi api, CancellationToken cancellationToken)
    {
        var existing = await api.Store.GetResourceAsync(kind.Id(instance.Id, id), cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceNotFound, $"The {kind.Noun} '{id}' does not exist in provisioning service '{instance.Name}'.", kind.IdProperty);
        return JsonNode.Parse(existing.Body)!.AsObject();
    }

    /// <summary>An If-Match (quoted or not) other than "*" must equal the stored etag, so a stale client cannot overwrite a newer version.</summary>
    private static void RequireEtag(string ifMatch, JsonObject current, EnrollmentKind kind)
    {
        var expected = ifMatch.Trim().Trim('"');
        if (expected.Length == 0 || expected == "*")
        {
            return;
        }

        var etag = current["etag"]?.GetValue<string>();
        if (!string.Equals(expected, etag, StringComparison.Ordinal))
        {
            throw new OutpostException(ErrorCode.PreconditionFailed,
                $"The {kind.Noun}'s etag is '{etag}', not '{expected}': it changed since it was read. Read it again and retry.", "If-Match");
        }
    }

    private static IResult Json(JsonNode body) => Results.Text(body.ToJsonString(), "application/json; charset=utf-8");
}

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;

namespace Outpost.Provisioning.ServiceApi;

/// <summary>
/// Registration states on the service API: get and delete one (deleting lets the device register afresh), and
/// list those of an enrollment group.
/// </summary>
internal static class RegistrationStateEndpoints
{
    private const string Type = "Microsoft.Devices/provisioningServices/registrations";

    public static void MapRegistrationStates(this IEndpointRouteBuilder service)
    {
        service.MapGet("/registrations/{registrationId}", GetAsync);
        service.MapDelete("/registrations/{registrationId}", DeleteAsync);
        service.MapPost("/registrations/{enrollmentGroupId}/query", QueryAsync);
    }

    private static async Task<IResult> GetAsync(string registrationId, HttpContext context, ProvisioningServiceApi api, CancellationToken cancellationToken)
    {
        var instance = await api.AuthorizeAsync(context, "RegistrationStatusRead", cancellationToken);
        var state = await api.Store.GetResourceAsync($"{instance.Id}/registrations/{registrationId.ToLowerInvariant()}", cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceNotFound, $"Registration '{registrationId}' has no registration state in provisioning service '{instance.Name}'.");
        return Results.Text(state.Body, "application/json; charset=utf-8");
    }

    private static async Task<IResult> DeleteAsync(string registrationId, HttpContext context, ProvisioningServiceApi api, CancellationToken cancellationToken)
    {
        var instance = await api.AuthorizeAsync(context, "RegistrationStatusWrite", cancellationToken);
        var id = $"{instance.Id}/registrations/{registrationId.ToLowerInvariant()}";
        if (await api.Store.GetResourceAsync(id, cancellationToken) is null)
        {
            throw new OutpostException(ErrorCode.ResourceNotFound, $"Registration '{registrationId}' has no registration state in provisioning service '{instance.Name}'.");
        }

        await api.Store.CommitAsync(new StoreChangeSet().DeleteResourceTree(id), cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> QueryAsync(string enrollmentGroupId, HttpContext context, ProvisioningServiceApi api, CancellationToken cancellationToken)
    {
        var instance = await api.AuthorizeAsync(context, "RegistrationStatusRead", cancellationToken);
        var states = await api.Store.GetResourcesAsync(new ResourceQuery(Type, instance.SubscriptionId, instance.ResourceGroup, instance.Id), cancellationToken);
        var members = states
            .Select(state => JsonNode.Parse(state.Body)!)
            .Where(state => string.Equals((state["symmetricKey"] ?? state["x509"])?["enrollmentGroupId"]?.GetValue<string>(), enrollmentGroupId, StringComparison.OrdinalIgnoreCase))
            .ToArray();
        return Results.Text(new JsonArray(members).ToJsonString(), "application/json; charset=utf-8");
    }
}

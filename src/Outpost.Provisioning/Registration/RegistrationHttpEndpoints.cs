using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.SharedAccess;
using Outpost.Provisioning.Instances;
using Outpost.Provisioning.ServiceApi;

namespace Outpost.Provisioning.Registration;

/// <summary>
/// Device registration over HTTPS on the global device endpoint (<c>global.dps.{suffix}</c>):
/// <c>PUT /{idScope}/registrations/{id}/register</c> answers 202 <c>assigning</c> with an operation id, the device
/// polls <c>GET …/operations/{operationId}</c> until <c>assigned</c>, and <c>POST /{idScope}/registrations/{id}</c>
/// looks the registration up. Devices authenticate with a SAS token or a TLS client certificate.
/// </summary>
internal static class RegistrationHttpEndpoints
{
    private static readonly IReadOnlyList<string> ApiVersions = ["2019-03-31", "2021-06-01", "2021-10-01", "2025-07-01-preview"];

    public static void MapRegistration(this IEndpointRouteBuilder device)
    {
        device.MapPut("/{idScope}/registrations/{registrationId}/register", RegisterAsync);
        device.MapGet("/{idScope}/registrations/{registrationId}/operations/{operationId}", OperationAsync);
        device.MapPost("/{idScope}/registrations/{registrationId}", LookupAsync);
    }

    private static async Task<IResult> RegisterAsync(string idScope, string registrationId, HttpContext context, ProvisioningInstances instances,
        RegistrationService registrations, CancellationToken cancellationToken)
    {
        var instance = await ResolveAsync(idScope, context, instances, cancellationToken);
        var body = await RequestJson.ReadObjectAsync(context.Request, cancellationToken);
        var operation = await registrations.RegisterAsync(instance, registrationId, Credential(context), body, cancellationToken);
        context.Response.Headers.RetryAfter = "1";
        return Json(new JsonObject { ["operationId"] = operation.Id, ["status"] = "assigning" }, StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> OperationAsync(string idScope, string registrationId, string operationId, HttpContext context, ProvisioningInstances instances,
        RegistrationService registrations, CancellationToken cancellationToken)
    {
        var instance = await ResolveAsync(idScope, context, instances, cancellationToken);
        return Json(await registrations.GetOperationAsync(instance, registrationId, Credential(context), operationId, cancellationToken));
    }

    private static async Task<IResult> LookupAsync(string idScope, string registrationId, HttpContext context, ProvisioningInstances instances,
        RegistrationService registrations, CancellationToken cancellationToken)
    {
        var instance = await ResolveAsync(idScope, context, instances, cancellationToken);
        var body = await RequestJson.ReadObjectAsync(context.Request, cancellationToken);
        if (body.ContainsKey("csr"))
        {
            throw new OutpostException(ErrorCode.InvalidParameter, "A status lookup must not carry a csr; send the CSR with the register request.", "csr");
        }

        return Json(await registrations.GetStateAsync(instance, registrationId, Credential(context), cancellationToken));
    }

    private static async Task<ProvisioningInstance> ResolveAsync(string idScope, HttpContext context, ProvisioningInstances instances, CancellationToken cancellationToken)
    {
        var version = context.Request.Query["api-version"].ToString();
        if (!ApiVersions.Contains(version))
        {
            throw new OutpostException(ErrorCode.InvalidApiVersionParameter,
                $"The api-version '{version}' is not supported for device registration; use one of {string.Join(", ", ApiVersions)}.", "api-version");
        }

        return await instances.ByIdScopeAsync(idScope, cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceNotFound, $"No provisioning service has the ID scope '{idScope}'. Check the ID scope in the service's overview.");
    }

    /// <summary>A SAS token when the request carries one, else the TLS client certificate, else nothing to authenticate with.</summary>
    private static DeviceCredential Credential(HttpContext context)
    {
        if (SharedAccessSignature.TryParse(context.Request.Headers.Authorization.ToString(), out var token) && token is not null)
        {
            return new DeviceCredential.Token(token);
        }

        var certificate = context.Connection.ClientCertificate;
        return certificate is not null
            ? new DeviceCredential.Certificate(certificate, [certificate])
            : throw new OutpostException(ErrorCode.AuthenticationFailed,
                "The request has neither a SharedAccessSignature Authorization header nor a TLS client certificate. Sign a SAS with the device key, or present the device certificate.");
    }

    private static IResult Json(JsonNode body, int status = StatusCodes.Status200OK) => Results.Text(body.ToJsonString(), "application/json; charset=utf-8", statusCode: status);
}

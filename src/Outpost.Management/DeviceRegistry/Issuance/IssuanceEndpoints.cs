using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.DeviceRegistry.Policies;
using Outpost.Pki.Policies;

namespace Outpost.Management.DeviceRegistry.Issuance;

/// <summary>
/// Device Registry's certificate-issuance data plane (<c>RuntimeCertIssuance</c> in the REST specs): a caller holding
/// the <c>issueCertificate</c> data action on a policy sends a device's CSR and gets the chain leaf → issuing CA →
/// root. In Azure DPS calls it during registration; here operators and tools can call it directly too.
/// </summary>
internal static class IssuanceEndpoints
{
    private const string Device = "/deviceCertificates/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/{providerName}/namespaces/{namespaceName}/devices/{deviceName}";
    private const string IssueAction = "Microsoft.DeviceRegistry/namespaces/credentials/policies/issueCertificate/action";

    public static void MapIssuance(this IEndpointRouteBuilder management)
    {
        management.MapPost(Device + ":issueCert", IssueAsync);
        management.MapGet(Device + "/issueCertOperations/{operationId}", GetOperationAsync);
    }

    private static async Task<IResult> IssueAsync(string subscriptionId, string resourceGroupName, string providerName, string namespaceName, string deviceName,
        HttpContext context, ManagementServices services, PolicyCertificateService certificates, CancellationToken cancellationToken)
    {
        var (policy, policyName) = await ResolvePolicyAsync(subscriptionId, resourceGroupName, providerName, namespaceName, context, services, cancellationToken);
        var body = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        var csr = DecodeCsr(ArmJson.OptionalString(body, "csr", "csr"));
        var validityDays = ArmScopes.Body(policy)["properties"]!["certificate"]!["leafCertificateConfiguration"]!["validityPeriodInDays"]!.GetValue<int>();
        var caller = ArmCaller.From(context.User);
        var issued = await certificates.IssueAsync(policy.Id, validityDays, csr, deviceName, caller.ClientId, cancellationToken);

        var now = services.Time.GetUtcNow();
        var result = new JsonObject { ["issuedCertificateChain"] = new JsonArray([.. issued.ChainDer.Select(der => (JsonNode)Convert.ToBase64String(der))]) };
        var operation = new StoredOperation(Guid.NewGuid().ToString(), $"{policy.Id}/devices/{deviceName}", "Succeeded", now, now, null, result.ToJsonString());
        await services.Store.CommitAsync(new StoreChangeSet().PutOperation(operation), cancellationToken);

        var apiVersion = Uri.EscapeDataString(context.Request.Query["api-version"].ToString());
        context.Response.Headers["Operation-Location"] =
            $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{context.Request.Path.Value![..context.Request.Path.Value!.LastIndexOf(':')]}/issueCertOperations/{operation.Id}?api-version={apiVersion}&policy-name={Uri.EscapeDataString(policyName)}";
        context.Response.Headers.RetryAfter = "1";
        return ArmJson.Ok(StatusBody(operation), StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> GetOperationAsync(string subscriptionId, string resourceGroupName, string providerName, string namespaceName, string deviceName,
        string operationId, HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        var (policy, _) = await ResolvePolicyAsync(subscriptionId, resourceGroupName, providerName, namespaceName, context, services, cancellationToken);
        var operation = await services.Store.GetOperationAsync(operationId, cancellationToken);
        if (operation is null || !string.Equals(operation.ResourceId, $"{policy.Id}/devices/{deviceName}", StringComparison.OrdinalIgnoreCase))
        {
            throw new OutpostException(ErrorCode.ResourceNotFound, $"The certificate issuance operation '{operationId}' for device '{deviceName}' could not be found.");
        }

        return ArmJson.Ok(StatusBody(operation));
    }

    private static JsonObject StatusBody(StoredOperation operation)
    {
        var status = new JsonObject { ["id"] = operation.Id, ["status"] = operation.Status };
        if (operation.ResultJson is not null)
        {
            status["result"] = JsonNode.Parse(operation.ResultJson);
        }

        return status;
    }

    /// <summary>Checks the provider, api-version, the <c>policy-name</c> parameter and the caller's data action; returns the policy.</summary>
    private static async Task<(StoredResource Policy, string PolicyName)> ResolvePolicyAsync(string subscriptionId, string resourceGroupName, string providerName,
        string namespaceName, HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.DeviceRegistry, "deviceCertificates");
        if (!string.Equals(providerName, DeviceRegistryIds.Provider, StringComparison.OrdinalIgnoreCase))
        {
            throw new OutpostException(ErrorCode.InvalidRequestContent, $"The provider '{providerName}' does not issue device certificates; use '{DeviceRegistryIds.Provider}'.", "providerName");
        }

        var policyName = context.Request.Query["policy-name"].ToString();
        if (string.IsNullOrEmpty(policyName))
        {
            throw new OutpostException(ErrorCode.InvalidRequestContent, "The policy-name query parameter is required: name the policy whose issuing CA signs the certificate.", "policy-name");
        }

        var credentialId = DeviceRegistryIds.Credential(DeviceRegistryIds.Namespace(subscriptionId, resourceGroupName, namespaceName));
        var policyId = DeviceRegistryIds.Policy(credentialId, policyName);
        await services.Access.DemandDataAsync(context.User, policyId, IssueAction, cancellationToken);
        await services.Scopes.RequireResourceGroupAsync(subscriptionId, resourceGroupName, cancellationToken);
        return (await PolicyEndpoints.RequireAsync(policyId, namespaceName, policyName, resourceGroupName, services, cancellationToken), policyName);
    }

    /// <summary>The CSR travels as base64 of its DER bytes (the spec's <c>bytes</c>); PEM armour and other text are refused with that explanation.</summary>
    private static byte[] DecodeCsr(string? csr)
    {
        if (string.IsNullOrWhiteSpace(csr))
        {
            throw new OutpostException(ErrorCode.CsrRejected, "The request has no 'csr'. Send {\"csr\":\"<base64 of the DER PKCS#10 request>\"}.", "csr");
        }

        if (csr.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            throw new OutpostException(ErrorCode.CsrRejected, "'csr' is PEM text; send the base64 of the DER bytes without the BEGIN/END lines and line breaks.", "csr");
        }

        try
        {
            return Convert.FromBase64String(csr);
        }
        catch (FormatException)
        {
            throw new OutpostException(ErrorCode.CsrRejected, "'csr' is not valid base64; send the base64 of the DER bytes of a PKCS#10 request.", "csr");
        }
    }
}

using Outpost.Core.Authorization;
using Outpost.Core.Errors;
using Outpost.Core.SharedAccess;
using Outpost.Provisioning.Instances;

namespace Outpost.Provisioning.ServiceApi;

/// <summary>
/// Authenticates a DPS service API call, either way Azure accepts: a SAS token signed with one of the instance's
/// shared access policies (for the instance's host name, unexpired, whose policy grants the right the operation
/// needs), or a bearer token for <c>https://azure-devices-provisioning.net</c> whose principal holds a role with the
/// matching data action on the instance (Device Provisioning Service Data Contributor or Reader).
/// </summary>
internal sealed class ServiceCaller(IAccessPolicies policies, IDataPlaneAuthorizer authorizer, TimeProvider time)
{
    private static readonly string[] ProvisioningAudiences = ["https://azure-devices-provisioning.net", "https://azure-devices-provisioning.net/"];

    public async Task DemandAsync(HttpContext context, ProvisioningInstance instance, string right, string dataAction, CancellationToken cancellationToken)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            throw new OutpostException(ErrorCode.AuthenticationFailed,
                "The Authorization header is missing. Send a SharedAccessSignature made from one of the service's shared access policies, or a bearer token.");
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            await DemandRoleAsync(context, instance, dataAction, cancellationToken);
            return;
        }

        if (!SharedAccessSignature.TryParse(header, out var token) || token is null)
        {
            throw new OutpostException(ErrorCode.AuthenticationFailed,
                "The Authorization header is neither a SharedAccessSignature (sr=…&sig=…&se=…&skn=…) nor a bearer token.");
        }

        var rule = SharedAccessCheck.RequireSigned(token, instance.ServiceHostName, await policies.GetAsync(instance.Id, cancellationToken), time.GetUtcNow(), "this service");

        // ServiceConfig is the owner's right and covers the whole service API; a write right implies the matching read.
        var granted = rule.Grants(right) || rule.Grants("ServiceConfig")
            || (right == "EnrollmentRead" && rule.Grants("EnrollmentWrite"))
            || (right == "RegistrationStatusRead" && rule.Grants("RegistrationStatusWrite"));
        if (!granted)
        {
            throw new OutpostException(ErrorCode.AuthorizationFailed, $"Policy '{rule.KeyName}' has rights '{rule.Rights}'; this operation needs {right}.");
        }
    }

    private async Task DemandRoleAsync(HttpContext context, ProvisioningInstance instance, string dataAction, CancellationToken cancellationToken)
    {
        var user = context.User;
        var audience = user.FindFirst("aud")?.Value;
        if (user.Identity?.IsAuthenticated != true || !ProvisioningAudiences.Contains(audience, StringComparer.OrdinalIgnoreCase))
        {
            throw new OutpostException(ErrorCode.AuthenticationFailed,
                "The bearer token is invalid, expired, or not for this API; request one for scope https://azure-devices-provisioning.net/.default from this server.");
        }

        var principalId = user.FindFirst("oid")?.Value ?? string.Empty;
        if (!await authorizer.AllowsDataActionAsync(principalId, instance.Id, dataAction, cancellationToken))
        {
            throw new OutpostException(ErrorCode.AuthorizationFailed,
                $"Principal '{principalId}' has no role allowing '{dataAction}' on '{instance.Id}'; assign Device Provisioning Service Data Contributor (or Reader to read).");
        }
    }
}

using Outpost.Core.Errors;
using Outpost.Core.SharedAccess;
using Outpost.Provisioning.Instances;

namespace Outpost.Provisioning.ServiceApi;

/// <summary>
/// Authenticates a DPS service API call: a SAS token signed with one of the instance's shared access policies, for
/// the instance's host name, unexpired, whose policy grants the right the operation needs.
/// </summary>
internal sealed class ServiceCaller(IAccessPolicies policies, TimeProvider time)
{
    public async Task<AccessRule> DemandAsync(HttpContext context, ProvisioningInstance instance, string right, CancellationToken cancellationToken)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            throw new OutpostException(ErrorCode.AuthenticationFailed,
                "The Authorization header is missing. Send a SharedAccessSignature made from one of the service's shared access policies.");
        }

        if (!SharedAccessSignature.TryParse(header, out var token) || token is null)
        {
            throw new OutpostException(ErrorCode.AuthenticationFailed,
                "The Authorization header is not a SharedAccessSignature (sr=…&sig=…&se=…&skn=…). Bearer tokens are not accepted by the service API yet.");
        }

        if (!token.Covers(instance.ServiceHostName))
        {
            throw new OutpostException(ErrorCode.AuthenticationFailed, $"The token is for '{token.Resource}', not for this service ('{instance.ServiceHostName}').");
        }

        if (token.IsExpired(time.GetUtcNow()))
        {
            throw new OutpostException(ErrorCode.AuthenticationFailed,
                $"The token expired at {DateTimeOffset.FromUnixTimeSeconds(token.Expiry):O}. Make a new one.");
        }

        var rules = await policies.GetAsync(instance.Id, cancellationToken);
        var rule = rules.FirstOrDefault(candidate => string.Equals(candidate.KeyName, token.KeyName, StringComparison.OrdinalIgnoreCase));
        if (rule is null || !(token.IsSignedWith(rule.PrimaryKey) || token.IsSignedWith(rule.SecondaryKey)))
        {
            throw new OutpostException(ErrorCode.AuthenticationFailed,
                $"The token's signature does not match a key of policy '{token.KeyName}'. Use a key from the service's listkeys.");
        }

        // A write right implies the matching read right, as in DPS.
        var granted = rule.Grants(right)
            || (right == "EnrollmentRead" && rule.Grants("EnrollmentWrite"))
            || (right == "RegistrationStatusRead" && rule.Grants("RegistrationStatusWrite"));
        if (!granted)
        {
            throw new OutpostException(ErrorCode.AuthorizationFailed, $"Policy '{rule.KeyName}' has rights '{rule.Rights}'; this operation needs {right}.");
        }

        return rule;
    }
}

namespace Outpost.Core.Errors;

/// <summary>
/// Stable error codes shown to clients in the ARM error envelope (<c>{"error":{"code":...}}</c>).
/// The names are the codes Azure Resource Manager and its providers use, so client code that switches on them keeps working.
/// </summary>
public enum ErrorCode
{
    /// <summary>The request body or a parameter is malformed or breaks a rule. HTTP 400.</summary>
    InvalidRequestContent,

    /// <summary>A resource name breaks the naming rules. HTTP 400.</summary>
    InvalidResourceName,

    /// <summary>A property value is outside its allowed range or set. HTTP 400.</summary>
    InvalidParameter,

    /// <summary>A property that can only be set at creation was changed. HTTP 400.</summary>
    PropertyChangeNotAllowed,

    /// <summary>The <c>api-version</c> query parameter is missing. HTTP 400.</summary>
    MissingApiVersionParameter,

    /// <summary>The <c>api-version</c> is not one this resource type supports. HTTP 400.</summary>
    InvalidApiVersionParameter,

    /// <summary>No resource provider serves the requested resource type. HTTP 400, as ARM answers.</summary>
    NoRegisteredProviderFound,

    /// <summary>A role assignment names a role definition that does not exist. HTTP 400.</summary>
    RoleDefinitionDoesNotExist,

    /// <summary>A role assignment names a principal that does not exist in the tenant. HTTP 400.</summary>
    PrincipalNotFound,

    /// <summary>The same role is already assigned to the principal at the scope. HTTP 409.</summary>
    RoleAssignmentExists,

    /// <summary>A role assignment's name is not a GUID. HTTP 400.</summary>
    InvalidRoleAssignmentId,

    /// <summary>A resource's wiring is incomplete: a principal lacks a role the operation needs. HTTP 403.</summary>
    LinkedAuthorizationFailed,

    /// <summary>A name is taken by another resource of the same type anywhere on this server. HTTP 409.</summary>
    NameUnavailable,

    /// <summary>A requested feature or option is not provided by this server. HTTP 400.</summary>
    FeatureNotProvided,

    /// <summary>The location is not one this server offers for the resource type. HTTP 400.</summary>
    LocationNotAvailableForResourceType,

    /// <summary>A certificate signing request was refused. HTTP 400.</summary>
    CsrRejected,

    /// <summary>No credentials were presented. HTTP 401.</summary>
    AuthenticationFailed,

    /// <summary>The presented token is invalid, expired or not for this audience. HTTP 401.</summary>
    InvalidAuthenticationToken,

    /// <summary>The caller is authenticated but lacks the permission. HTTP 403.</summary>
    AuthorizationFailed,

    /// <summary>The resource group does not exist. HTTP 404.</summary>
    ResourceGroupNotFound,

    /// <summary>The resource does not exist. HTTP 404.</summary>
    ResourceNotFound,

    /// <summary>The subscription does not exist. HTTP 404.</summary>
    SubscriptionNotFound,

    /// <summary>The request conflicts with the current state (concurrent change, dependent resources). HTTP 409.</summary>
    Conflict,

    /// <summary>An If-Match precondition does not hold: the resource changed since the client read it. HTTP 412.</summary>
    PreconditionFailed,

    /// <summary>The request body is larger than the server reads. HTTP 413.</summary>
    RequestEntityTooLarge,

    /// <summary>An unexpected server fault; details are only in the server log. HTTP 500.</summary>
    InternalServerError,
}

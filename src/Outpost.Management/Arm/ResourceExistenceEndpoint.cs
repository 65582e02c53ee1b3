using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Authorization;

namespace Outpost.Management.Arm;

/// <summary>
/// <c>HEAD</c> on any provider resource: 204 when it exists, 404 when not, as ARM answers for every resource type
/// (the SDKs' <c>checkExistenceById</c>). Other methods on a provider path no feature serves get ARM's
/// <c>NoRegisteredProviderFound</c> rather than a bare 404 or 405.
/// </summary>
internal static class ResourceExistenceEndpoint
{
    public static void MapResourceExistence(this IEndpointRouteBuilder management)
    {
        const string AnyProviderResource = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/{**resourcePath}";
        management.MapMethods(AnyProviderResource, [HttpMethods.Head], ExistsAsync);
        management.MapMethods(AnyProviderResource, [HttpMethods.Get, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete, HttpMethods.Post], NotServed);
    }

    /// <summary>The IoT hub add-ons of the portal's Add-ons tab: separate Azure services that Outpost does not provide.</summary>
    private static readonly Dictionary<string, string> AddOns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.DeviceUpdate"] = "Device Update for IoT Hub",
        ["Microsoft.Security"] = "Microsoft Defender for IoT",
    };

    private static IResult NotServed(string resourcePath, HttpContext context)
    {
        AccessChecker.RequireManagementToken(context.User);
        var provider = resourcePath.Split('/', 2)[0];
        if (AddOns.TryGetValue(provider, out var addOn))
        {
            throw new OutpostException(ErrorCode.FeatureNotProvided,
                $"{addOn} ({provider}) is not provided by Outpost. Create the hub without this add-on; the hub works the same without it.");
        }

        throw new OutpostException(ErrorCode.NoRegisteredProviderFound,
            $"No registered resource provider found for resource type '{TypeOf(resourcePath)}' and api-version '{context.Request.Query["api-version"]}'. This server serves Microsoft.Resources and Microsoft.DeviceRegistry namespaces, credentials and policies.");
    }

    private static async Task<IResult> ExistsAsync(string subscriptionId, string resourceGroupName, string resourcePath, HttpContext context,
        AccessChecker access, IOutpostStore store, CancellationToken cancellationToken)
    {
        var id = $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/{resourcePath.TrimEnd('/')}";
        var type = TypeOf(resourcePath);
        ApiVersions.Require(context, type.StartsWith("Microsoft.DeviceRegistry/", StringComparison.OrdinalIgnoreCase) ? ApiVersions.DeviceRegistry : ApiVersions.Resources, type);
        await access.DemandAsync(context.User, id, $"{type}/read", cancellationToken);
        var resource = await store.GetResourceAsync(id, cancellationToken);
        return Results.StatusCode(resource is null ? StatusCodes.Status404NotFound : StatusCodes.Status204NoContent);
    }

    /// <summary>"Microsoft.X/a/n1/b/n2" is of type "Microsoft.X/a/b": the provider, then every other segment.</summary>
    private static string TypeOf(string resourcePath)
    {
        var segments = resourcePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 3 || segments.Length % 2 == 0)
        {
            throw new OutpostException(ErrorCode.InvalidRequestContent,
                $"'providers/{resourcePath}' is not a resource path; expected providers/{{namespace}}/{{type}}/{{name}}[/{{type}}/{{name}}…].");
        }

        return string.Join('/', segments.Where((_, index) => index == 0 || index % 2 == 1));
    }
}

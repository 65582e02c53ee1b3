using Outpost.Core.Errors;

namespace Outpost.Management.Arm;

/// <summary>The api-versions each resource provider accepts, and the check every management call runs first.</summary>
internal static class ApiVersions
{
    /// <summary>
    /// Microsoft.DeviceRegistry versions whose namespace, credential and policy shapes Outpost serves. 2025-11-01-preview
    /// is the reference; the others differ only in fields Outpost accepts and ignores or reports the same way.
    /// </summary>
    public static readonly IReadOnlyList<string> DeviceRegistry = ["2025-07-01-preview", "2025-10-01", "2025-11-01-preview", "2026-03-01-preview"];

    /// <summary>Microsoft.Resources versions for subscriptions and resource groups: their shapes have been stable since 2019.</summary>
    public static readonly IReadOnlyList<string> Resources =
    [
        "2019-05-01", "2019-05-10", "2019-07-01", "2019-08-01", "2019-10-01", "2019-11-01", "2020-01-01", "2020-06-01",
        "2020-08-01", "2020-10-01", "2021-01-01", "2021-04-01", "2022-01-01", "2022-09-01", "2022-12-01", "2023-07-01",
        "2024-03-01", "2024-07-01", "2024-11-01", "2025-01-01", "2025-03-01", "2025-04-01",
    ];

    /// <summary>Microsoft.Devices/IotHubs: the preview with Device Registry links, and what @azure/arm-iothub 6.3.0 sends (2023-06-30).</summary>
    public static readonly IReadOnlyList<string> IotHub =
        ["2021-07-02", "2022-04-30-preview", "2022-11-15-preview", "2023-06-30", "2023-06-30-preview", "2025-08-01-preview"];

    /// <summary>Microsoft.Devices/provisioningServices: the preview with Device Registry links, and what @azure/arm-deviceprovisioningservices 6.0.0 sends (2026-08-31).</summary>
    public static readonly IReadOnlyList<string> ProvisioningService =
        ["2022-02-05", "2022-12-12", "2023-03-01-preview", "2025-02-01-preview", "2026-08-31"];

    /// <summary>Every version some provider serves: operation status URLs carry the version of the call that started them.</summary>
    public static IReadOnlyList<string> Any => [.. DeviceRegistry, .. Resources, .. IotHub, .. ProvisioningService, "2022-04-01", "2023-01-31"];

    /// <summary>Refuses a request whose api-version is missing or not in <paramref name="supported"/>, naming what is.</summary>
    public static string Require(HttpContext context, IReadOnlyList<string> supported, string resourceType)
    {
        var requested = context.Request.Query["api-version"].ToString();
        if (string.IsNullOrEmpty(requested))
        {
            throw new OutpostException(ErrorCode.MissingApiVersionParameter,
                "The api-version query parameter (?api-version=) is required for all requests.", "api-version");
        }

        if (!supported.Contains(requested, StringComparer.OrdinalIgnoreCase))
        {
            throw new OutpostException(ErrorCode.InvalidApiVersionParameter,
                $"The api-version '{requested}' is not supported for resource type '{resourceType}'. The supported api-versions are '{string.Join(", ", supported)}'.",
                "api-version");
        }

        return requested;
    }
}

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.IotHubs;

namespace Outpost.Management.DeviceRegistry.Devices;

/// <summary>
/// <c>POST …/namespaces/{ns}/devices/{device}/revoke</c> with <c>{"disable": bool}</c> (ADR's
/// <c>NamespaceDevices_Revoke</c>): every certificate the device's policy ever issued to it is revoked. IoT Hub does not
/// read CRLs; like it, the hubs linked to the namespace check a CA-signed device's certificate against the device's
/// record, which now lists the revoked serial numbers, and the device's live connections are dropped at once. The
/// device may onboard again with a new CSR unless <c>disable</c> is set, which also disables it in the linked hubs.
/// </summary>
internal static class DeviceRevocationEndpoints
{
    public const string DeviceType = "Microsoft.DeviceRegistry/namespaces/devices";

    public static void MapDeviceRevocation(this IEndpointRouteBuilder management)
    {
        management.MapPost("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.DeviceRegistry/namespaces/{namespaceName}/devices/{deviceName}/revoke",
            RevokeAsync);
    }

    private static async Task<IResult> RevokeAsync(string subscriptionId, string resourceGroupName, string namespaceName, string deviceName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.DeviceRegistry, DeviceType);
        var namespaceId = DeviceRegistryIds.Namespace(subscriptionId, resourceGroupName, namespaceName);
        var deviceId = $"{namespaceId}/devices/{deviceName}";
        await services.Access.DemandAsync(context.User, deviceId, "Microsoft.DeviceRegistry/namespaces/devices/revoke/action", cancellationToken);
        await services.Scopes.RequireResourceGroupAsync(subscriptionId, resourceGroupName, cancellationToken);
        var namespaceResource = await services.Scopes.RequireResourceAsync(namespaceId, $"{DeviceRegistryIds.NamespaceType}/{namespaceName}", resourceGroupName, cancellationToken);
        var body = context.Request.ContentLength is 0 or null && !context.Request.Headers.ContainsKey("Transfer-Encoding") ? [] : await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        var disable = ArmJson.OptionalBool(body, "disable", "disable") ?? false;

        var device = await services.Store.GetResourceAsync(deviceId, cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceNotFound,
                $"The Resource '{DeviceType}/{namespaceName}/{deviceName}' under resource group '{resourceGroupName}' was not found. Devices appear in a namespace when they onboard through DPS with a credential policy.");
        var record = ArmScopes.Body(device);
        var policyId = record["properties"]?["policy"]?["resourceId"]?.GetValue<string>()
            ?? throw new OutpostException(ErrorCode.InvalidRequestContent, $"Device '{deviceName}' has no credential policy, so it has no certificates to revoke (400231).");

        var audit = await services.Store.GetAuditRecordsAsync(policyId, cancellationToken);
        var revoked = record["properties"]!["revokedCertificateSerialNumbers"] as JsonArray ?? [];
        foreach (var serial in audit.Where(entry => entry.Subject == $"CN={deviceName}").Select(entry => entry.SerialNumber))
        {
            if (!revoked.Any(known => known?.GetValue<string>() == serial))
            {
                revoked.Add(serial);
            }
        }

        var now = services.Time.GetUtcNow();
        record["properties"]!["revokedCertificateSerialNumbers"] = revoked.DeepClone();
        record["properties"]!["lastRevocationTime"] = now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        if (disable)
        {
            record["properties"]!["enabled"] = false;
        }

        var changes = new StoreChangeSet().PutResource(device with { Body = record.ToJsonString() }, device.Version);
        var hubs = await IotHubNamespaceLink.LinkedHubsAsync(ArmScopes.Body(namespaceResource), services.Store, cancellationToken);
        if (disable)
        {
            foreach (var hub in hubs)
            {
                if (await services.Store.GetResourceAsync($"{hub.Id}/devices/{deviceName.ToLowerInvariant()}", cancellationToken) is { } hubDevice)
                {
                    var hubBody = ArmScopes.Body(hubDevice);
                    hubBody["status"] = "disabled";
                    hubBody["statusReason"] = "Certificates revoked in Azure Device Registry";
                    changes.PutResource(hubDevice with { Body = hubBody.ToJsonString() }, hubDevice.Version);
                }
            }
        }

        var location = ArmScopes.Body(namespaceResource)["location"]?.GetValue<string>() ?? "eastus";
        var result = await services.Operations.CommitAcceptedAsync(context, changes, deviceId, location, cancellationToken);

        // The commit holds; now the revoked device's live sessions go, on every hub that trusts the namespace.
        await LinkedHubSessions.DisconnectDeviceAsync(context, hubs, deviceName, cancellationToken);
        return result;
    }
}

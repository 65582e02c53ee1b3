using Outpost.Management.ActivityLog;

namespace Outpost.Management.Tests.ActivityLog;

public sealed class ArmOperationTests
{
    private const string Group = "/subscriptions/s1/resourceGroups/rg";

    [Theory]
    [InlineData("PUT", Group, "Microsoft.Resources/subscriptions/resourceGroups/write", Group, "Microsoft.Resources", "rg")]
    [InlineData("DELETE", "/subscriptions/s1/resourcegroups/rg", "Microsoft.Resources/subscriptions/resourceGroups/delete", "/subscriptions/s1/resourcegroups/rg", "Microsoft.Resources", "rg")]
    [InlineData("PATCH", Group + "/providers/Microsoft.Devices/IotHubs/hub", "Microsoft.Devices/IotHubs/write", Group + "/providers/Microsoft.Devices/IotHubs/hub", "Microsoft.Devices", "rg")]
    [InlineData("POST", Group + "/providers/Microsoft.Devices/IotHubs/hub/listkeys", "Microsoft.Devices/IotHubs/listkeys/action", Group + "/providers/Microsoft.Devices/IotHubs/hub", "Microsoft.Devices", "rg")]
    [InlineData("PUT", Group + "/providers/Microsoft.DeviceRegistry/namespaces/ns/credentials/default/policies/p",
        "Microsoft.DeviceRegistry/namespaces/credentials/policies/write", Group + "/providers/Microsoft.DeviceRegistry/namespaces/ns/credentials/default/policies/p", "Microsoft.DeviceRegistry", "rg")]
    [InlineData("PUT", Group + "/providers/Microsoft.Devices/IotHubs/hub/providers/Microsoft.Authorization/roleAssignments/a1",
        "Microsoft.Authorization/roleAssignments/write", Group + "/providers/Microsoft.Devices/IotHubs/hub/providers/Microsoft.Authorization/roleAssignments/a1", "Microsoft.Authorization", "rg")]
    [InlineData("POST", "/subscriptions/s1/providers/Microsoft.Devices/checkNameAvailability", "Microsoft.Devices/checkNameAvailability/action",
        "/subscriptions/s1/providers/Microsoft.Devices", "Microsoft.Devices", null)]
    public void AWriteIsNamedAsArmNamesItsOperation(string method, string path, string name, string resourceId, string provider, string? group)
    {
        var operation = ArmOperation.From(method, path);

        Assert.NotNull(operation);
        Assert.Equal(name, operation.Name);
        Assert.Equal(resourceId, operation.ResourceId);
        Assert.Equal(provider, operation.ResourceProvider);
        Assert.Equal(group, operation.ResourceGroup);
        Assert.Equal("s1", operation.SubscriptionId);
    }

    [Theory]
    [InlineData("GET", Group)]
    [InlineData("PUT", "/tenant/oauth2/v2.0/token")]
    [InlineData("POST", "/v1.0/applications")]
    [InlineData("POST", "/subscriptions")]
    public void ReadsAndCallsOutsideSubscriptionsAreNotOperations(string method, string path) => Assert.Null(ArmOperation.From(method, path));
}

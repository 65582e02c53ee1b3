using Outpost.Management.Authorization;

namespace Outpost.Management.Tests.Authorization;

public sealed class RoleDefinitionTests
{
    [Theory]
    [InlineData("Owner", "Microsoft.Authorization/roleAssignments/write", true)]
    [InlineData("Contributor", "Microsoft.DeviceRegistry/namespaces/write", true)]
    [InlineData("Contributor", "Microsoft.Authorization/roleAssignments/write", false)]
    [InlineData("Reader", "Microsoft.DeviceRegistry/namespaces/read", true)]
    [InlineData("Reader", "Microsoft.DeviceRegistry/namespaces/write", false)]
    [InlineData("Azure Device Registry Contributor", "Microsoft.DeviceRegistry/namespaces/credentials/policies/read", true)]
    [InlineData("Azure Device Registry Contributor", "Microsoft.DeviceRegistry/namespaces/credentials/policies/write", false)]
    public void ActionsFollowAzuresBuiltInRoles(string roleName, string action, bool allowed)
    {
        var role = BuiltInRoles.All.Single(candidate => candidate.RoleName == roleName);
        Assert.Equal(allowed, role.Allows(action));
    }

    [Fact]
    public void OnlyTheDeviceRegistryContributorMayIssueCertificates()
    {
        const string Issue = "Microsoft.DeviceRegistry/namespaces/credentials/policies/issueCertificate/action";
        Assert.True(BuiltInRoles.DeviceRegistryContributor.AllowsData(Issue));
        Assert.False(BuiltInRoles.Owner.AllowsData(Issue));
        Assert.False(BuiltInRoles.Contributor.AllowsData(Issue));
    }

    [Fact]
    public void RolesAreFoundByGuidOrByFullRoleDefinitionId()
    {
        Assert.Same(BuiltInRoles.Owner, BuiltInRoles.Find("8e3af657-a8ff-443c-a75c-2fe8c4bcb635"));
        Assert.Same(BuiltInRoles.Reader, BuiltInRoles.Find("/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/ACDD72A7-3385-48EF-BD42-F606FBA81AE7"));
        Assert.Null(BuiltInRoles.Find("00000000-0000-0000-0000-000000000000"));
    }
}

using System.Net;

namespace Outpost.IntegrationTests.Support;

/// <summary>
/// A server with a DPS instance wired to a hub and a namespace, a symmetric-key enrollment group "fleet" that
/// issues certificates from the namespace's default policy, and a disabled individual enrollment "parked-device".
/// </summary>
public sealed class RegistrationFixture : ServerFixture
{
    public const string Api = "api-version=2025-07-01-preview";

    internal ProvisioningSetup Setup { get; private set; } = null!;

    internal string GroupKey { get; private set; } = string.Empty;

    /// <summary>The CAs of the X.509 enrollment group "x509-fleet", whose signing certificate is the intermediate.</summary>
    internal DeviceCertificates Pki { get; } = new("registration");

    protected override async ValueTask OnStartedAsync()
    {
        Setup = await ProvisioningSetup.CreateAsync(Client, "registration");
        using var service = new HostClient(Server, Setup.ServiceHost);
        var group = await service.SendAsync(HttpMethod.Put, $"/enrollmentGroups/fleet?{Api}", Setup.ServiceToken(),
            new { enrollmentGroupId = "fleet", attestation = new { type = "symmetricKey" }, credentialPolicyName = "default" });
        Assert.True(group.Status == HttpStatusCode.OK, group.ToString());
        GroupKey = group.Body!["attestation"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>();
        var disabled = await service.SendAsync(HttpMethod.Put, $"/enrollments/parked-device?{Api}", Setup.ServiceToken(),
            new { registrationId = "parked-device", attestation = new { type = "symmetricKey" }, provisioningStatus = "disabled" });
        Assert.True(disabled.Status == HttpStatusCode.OK, disabled.ToString());
        var x509 = await service.SendAsync(HttpMethod.Put, $"/enrollmentGroups/x509-fleet?{Api}", Setup.ServiceToken(),
            new { enrollmentGroupId = "x509-fleet", attestation = new { type = "x509", x509 = new { signingCertificates = new { primary = new { certificate = Pki.Intermediate.ExportCertificatePem() } } } } });
        Assert.True(x509.Status == HttpStatusCode.OK, x509.ToString());
    }
}

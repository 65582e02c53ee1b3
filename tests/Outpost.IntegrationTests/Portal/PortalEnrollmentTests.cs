using System.Net;
using Microsoft.Playwright;
using Outpost.Core.SharedAccess;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Portal;

/// <summary>Manage enrollments with X.509 attestation: the intermediate certificate is uploaded as a file, as the walkthrough does it.</summary>
public sealed class PortalEnrollmentTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task An_X509_enrollment_group_is_created_from_an_uploaded_intermediate_certificate()
    {
        var client = fixture.Client;
        await client.PutAsync(client.ResourceGroupPath("x509"), new { location = "eastus" });
        var dpsName = $"x509-dps-{Guid.NewGuid():N}"[..20];
        var dpsPath = client.DpsPath("x509", dpsName);
        var dps = await client.PutAsync(dpsPath, new { location = "eastus", sku = new { name = "S1", capacity = 1 }, properties = new { } });
        Assert.True(dps.Status == HttpStatusCode.Created, dps.ToString());
        using var pki = new DeviceCertificates("portal-x509");
        var pemPath = Path.Combine(fixture.Server.DataDirectory, $"{dpsName}-intermediate.pem");
        await File.WriteAllTextAsync(pemPath, pki.Intermediate.ExportCertificatePem());

        await using var browser = await PortalBrowser.OpenAsync(fixture.Server, nameof(An_X509_enrollment_group_is_created_from_an_uploaded_intermediate_certificate));
        await browser.SignInAsync();
        await browser.GoAsync($"/dps/x509/{dpsName}/enrollments");
        await browser.Button("+ Add enrollment group").ClickAsync();
        await browser.Page.Locator("#enrollment-attestation").SelectOptionAsync(new SelectOptionValue { Label = "X.509 intermediate certificate" });
        // Visible once the server has re-rendered for X.509, which it does only after the input was wired to the circuit.
        await Assertions.Expect(browser.Page.Locator("#enrollment-primary")).ToBeVisibleAsync();
        await browser.Page.Locator("#enrollment-primary").SetInputFilesAsync(pemPath);
        await Assertions.Expect(browser.Page.GetByTestId("enrollment-primary-file")).ToContainTextAsync($"Loaded {Path.GetFileName(pemPath)}");
        await browser.Page.Locator("#enrollment-id").FillAsync("x509-fleet");
        await browser.ShotAsync("x509-registration");
        await browser.Tab("Review + create").ClickAsync();
        await browser.Button("Create").ClickAsync();
        await Assertions.Expect(browser.Page.GetByTestId("enrollment-message")).ToContainTextAsync("x509-fleet");
        await Assertions.Expect(browser.Page.GetByRole(AriaRole.Table, new() { Name = "Enrollment groups" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "x509-fleet" }))
            .ToContainTextAsync("x509");
        await browser.ShotAsync("x509-created");

        // The service API holds the uploaded certificate as the group's primary signing certificate.
        var serviceHost = dps.Body!["properties"]!["serviceOperationsHostName"]!.GetValue<string>();
        var key = (await client.PostAsync(dpsPath + "/listkeys", new { })).Body!["value"]![0]!["primaryKey"]!.GetValue<string>();
        using var service = new HostClient(client.Server, serviceHost);
        var token = SharedAccessSignature.Create(serviceHost, key, "provisioningserviceowner", DateTimeOffset.UtcNow.AddHours(1));
        var group = await service.SendAsync(HttpMethod.Get, $"/enrollmentGroups/x509-fleet?{RegistrationFixture.Api}", token);
        Assert.True(group.Status == HttpStatusCode.OK, group.ToString());
        Assert.Equal(pki.Intermediate.Thumbprint, group.Body!["attestation"]!["x509"]!["signingCertificates"]!["primary"]!["info"]!["sha1Thumbprint"]!.GetValue<string>(),
            StringComparer.OrdinalIgnoreCase);
        browser.AssertNoErrors();
    }
}

using System.Net;
using Microsoft.Playwright;
using Outpost.Core.SharedAccess;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Portal;

/// <summary>
/// The walkthrough, every step through the portal in Chromium on a fresh server: identity, namespace, its roles and a
/// policy, a hub linked to the namespace with its identity and roles, a DPS instance with the namespace and the hub,
/// Sync all, an enrollment group with the policy. Then a device registers through DPS with a CSR, connects with the
/// issued certificate and sends telemetry, which the portal's live view, device list and certificate list show.
/// </summary>
public sealed class PortalWalkthroughTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Group = "walk";

    [Fact]
    public async Task The_walkthrough_end_to_end_in_the_browser_then_a_device_s_telemetry_appears()
    {
        await using var browser = await PortalBrowser.OpenAsync(fixture.Server, nameof(The_walkthrough_end_to_end_in_the_browser_then_a_device_s_telemetry_appears));
        var page = browser.Page;
        await browser.SignInAsync();

        // A user-assigned identity, in a new resource group.
        await browser.GoAsync("/identities/create");
        await browser.NewResourceGroupAsync();
        await page.Locator("#basics-group").FillAsync(Group);
        await page.Locator("#basics-name").FillAsync("walk-identity");
        await browser.Button("Review + create").ClickAsync();
        await Assertions.Expect(page.GetByTestId("deployment")).ToContainTextAsync("deployment is complete");
        await browser.ShotAsync("identity-created");

        // Prerequisite: Contributor for the Azure IoT Hub service principal on the resource group.
        await browser.GoAsync($"/groups/{Group}");
        await AssignRoleAsync(browser, "Contributor", privileged: true, member: "Azure IoT Hub");

        // The namespace with a system-assigned identity (Basics, Identity, Tags, Review + create).
        await browser.GoAsync("/namespaces/create");
        await page.Locator("#basics-group").SelectOptionAsync(Group);
        await page.Locator("#basics-name").FillAsync("walk-ns");
        await browser.ShotAsync("namespace-basics");
        await browser.Button("Next").ClickAsync();
        await Assertions.Expect(page.Locator("#system-identity")).ToBeCheckedAsync();
        await browser.Button("Next").ClickAsync();
        await browser.Button("Add tag").ClickAsync();
        await page.GetByLabel("Tag name").FillAsync("env");
        await page.GetByLabel("Tag value").FillAsync("walkthrough");
        await browser.Button("Next").ClickAsync();
        await Assertions.Expect(page.GetByTestId("review")).ToContainTextAsync("env=walkthrough");
        await browser.ShotAsync("namespace-review");
        await browser.Button("Create").ClickAsync();
        await Assertions.Expect(page.GetByTestId("deployment")).ToContainTextAsync("deployment is complete", new() { Timeout = 60_000 });
        await browser.ShotAsync("namespace-created");
        await page.GetByTestId("go-to-resource").ClickAsync();
        await browser.WaitForCircuitAsync();

        // Its principal ID, from the JSON view.
        await browser.Button("JSON view").ClickAsync();
        await Assertions.Expect(page.GetByTestId("json-view")).ToContainTextAsync("principalId");
        var namespacePrincipal = (await page.GetByTestId("principal-id").InnerTextAsync()).Trim();
        Assert.Matches("^[0-9a-f-]{36}$", namespacePrincipal);
        Assert.Contains(namespacePrincipal, await page.GetByTestId("json-view").InnerTextAsync(), StringComparison.Ordinal);
        await browser.ShotAsync("namespace-json-view");

        // The identity gets Azure Device Registry Onboarding and Contributor on the namespace.
        await browser.Tab("Access control (IAM)").ClickAsync();
        await AssignRoleAsync(browser, "Azure Device Registry Onboarding", privileged: false, member: "walk-identity");
        await AssignRoleAsync(browser, "Azure Device Registry Contributor", privileged: false, member: "walk-identity");

        // A custom credential policy.
        await browser.Tab("Credential policies (Preview)").ClickAsync();
        await browser.Button("+ Create").ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("walk-policy");
        await page.GetByLabel("Validity period (days)").FillAsync("45");
        await page.GetByRole(AriaRole.Region, new() { Name = "Create credential policy" }).GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        var policies = page.GetByRole(AriaRole.Table, new() { Name = "Credential policies" });
        await Assertions.Expect(policies.GetByRole(AriaRole.Row).Filter(new() { HasText = "walk-policy" })).ToContainTextAsync("45");
        await browser.ShotAsync("policy-created");

        // The hub: Preview tier, the namespace and the identity (Basics, Networking, Management, Add-ons, Tags, Review + create).
        var hubName = $"walk-hub-{Guid.NewGuid():N}"[..20];
        await browser.GoAsync("/hubs/create");
        await page.Locator("#basics-group").SelectOptionAsync(Group);
        await page.Locator("#basics-name").FillAsync(hubName);
        await page.Locator("#hub-tier").SelectOptionAsync("GEN2");
        await page.Locator("#hub-namespace").SelectOptionAsync(new SelectOptionValue { Label = "walk-ns" });
        await page.Locator("#hub-identity").SelectOptionAsync(new SelectOptionValue { Label = "walk-identity" });
        await browser.ShotAsync("hub-basics");
        await browser.Button("Next").ClickAsync();
        await Assertions.Expect(page.Locator("#hub-tls")).ToHaveValueAsync("1.2");
        await browser.Button("Next").ClickAsync();
        await Assertions.Expect(page.Locator("#hub-partitions")).ToHaveValueAsync("4");
        await page.Locator("#hub-assign-me").CheckAsync();
        await browser.Button("Next").ClickAsync();
        await browser.Button("Next").ClickAsync();
        await browser.Button("Next").ClickAsync();
        await browser.ShotAsync("hub-review");
        await browser.Button("Create").ClickAsync();
        await Assertions.Expect(page.GetByTestId("deployment")).ToContainTextAsync("deployment is complete", new() { Timeout = 60_000 });
        // "Assign me" gave the signed-in principal IoT Hub Data Contributor on the new hub.
        var hubAssignments = await fixture.Client.GetAsync($"{fixture.Client.HubPath(Group, hubName)}/providers/Microsoft.Authorization/roleAssignments", ManagementClient.AuthorizationApiVersion);
        Assert.True(hubAssignments.Status == System.Net.HttpStatusCode.OK, hubAssignments.ToString());
        Assert.Contains(hubAssignments.Body!["value"]!.AsArray(), assignment =>
            assignment!["properties"]!["roleDefinitionId"]!.GetValue<string>().EndsWith(ManagementClient.Roles.IotHubDataContributor, StringComparison.OrdinalIgnoreCase));
        await page.GetByTestId("go-to-resource").ClickAsync();
        await browser.WaitForCircuitAsync();

        // The hub's Identity pane: associate the user-assigned identity.
        await browser.Tab("Identity").ClickAsync();
        await browser.Button("+ Associate").ClickAsync();
        await page.Locator("#associate-identity").SelectOptionAsync(new SelectOptionValue { Label = "walk-identity" });
        await browser.Button("Add").ClickAsync();
        await Assertions.Expect(page.GetByTestId("identity-message")).ToContainTextAsync("walk-identity");
        await browser.ShotAsync("hub-identity");

        // The namespace's principal gets Contributor and IoT Hub Registry Contributor on the hub, pasted by its ID.
        await browser.Tab("Access control (IAM)").ClickAsync();
        await AssignRoleAsync(browser, "Contributor", privileged: true, member: null, pastedPrincipal: namespacePrincipal);
        await AssignRoleAsync(browser, "IoT Hub Registry Contributor", privileged: false, member: null, pastedPrincipal: namespacePrincipal);

        // DPS, with the name availability check.
        var dpsName = $"walk-dps-{Guid.NewGuid():N}"[..20];
        await browser.GoAsync("/dps/create");
        await page.Locator("#basics-group").SelectOptionAsync(Group);
        await page.Locator("#basics-name").FillAsync(dpsName);
        await Assertions.Expect(page.GetByTestId("name-availability")).ToContainTextAsync("available");
        await browser.ShotAsync("dps-name-available");
        await browser.Button("Next").ClickAsync();
        await browser.Button("Create").ClickAsync();
        await Assertions.Expect(page.GetByTestId("deployment")).ToContainTextAsync("deployment is complete", new() { Timeout = 60_000 });
        await page.GetByTestId("go-to-resource").ClickAsync();
        await browser.WaitForCircuitAsync();

        // The DPS overview's ADR namespace link.
        await page.GetByTestId("add-namespace").ClickAsync();
        await page.Locator("#dps-namespace").SelectOptionAsync(new SelectOptionValue { Label = "walk-ns" });
        await page.Locator("#dps-identity").SelectOptionAsync(new SelectOptionValue { Label = "walk-identity" });
        await browser.Button("Save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("adr-namespace")).ToHaveTextAsync("walk-ns");
        var idScope = (await page.GetByTestId("id-scope").InnerTextAsync()).Trim();
        await browser.ShotAsync("dps-namespace-linked");

        // Linked IoT hubs: add the hub with iothubowner.
        await browser.Tab("Linked IoT hubs").ClickAsync();
        await browser.Button("+ Add").ClickAsync();
        await page.Locator("#link-hub").SelectOptionAsync(new SelectOptionValue { Label = hubName });
        await Assertions.Expect(page.Locator("#link-policy")).ToHaveValueAsync("iothubowner");
        await browser.Button("Save").ClickAsync();
        await browser.Button("Refresh").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Linked IoT hubs" })).ToContainTextAsync(hubName);
        await browser.ShotAsync("dps-linked-hub");

        // Sync all on the namespace's credential policies.
        await browser.GoAsync($"/namespaces/{Group}/walk-ns/policies");
        await browser.Button("Sync all").ClickAsync();
        await Assertions.Expect(page.GetByTestId("policy-message")).ToContainTextAsync("Synchronization succeeded", new() { Timeout = 60_000 });
        await browser.ShotAsync("sync-all");

        // Manage enrollments: a symmetric-key group with the policy.
        await browser.GoAsync($"/dps/{Group}/{dpsName}/enrollments");
        await browser.Button("+ Add enrollment group").ClickAsync();
        await page.Locator("#enrollment-id").FillAsync("walk-fleet");
        await Assertions.Expect(page.Locator("#enrollment-status")).ToHaveValueAsync("enabled");
        await browser.ShotAsync("enrollment-registration");
        await browser.Tab("Credential policies (Preview)").ClickAsync();
        await page.Locator("#enrollment-policy").SelectOptionAsync("walk-policy");
        await browser.ShotAsync("enrollment-policy");
        await browser.Tab("Review + create").ClickAsync();
        await browser.Button("Create").ClickAsync();
        await Assertions.Expect(page.GetByTestId("enrollment-message")).ToContainTextAsync("walk-fleet");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Enrollment groups" })).ToContainTextAsync("walk-policy");
        await browser.ShotAsync("enrollment-created");

        // A device onboards as a device would (DPS with a CSR), then connects with its issued certificate.
        var setup = await DeviceSideAsync(hubName, dpsName, idScope);
        var (certificate, _) = await setup.RegisterAsync(fixture.Server, "walk-device-1");
        var (device, result) = await HubDeviceClient.ConnectAsync(fixture.Server, setup.Hub.HostName, "walk-device-1", certificate: certificate);
        await using var _ = device;
        Assert.Equal(MQTTnet.MqttClientConnectResultCode.Success, result);

        await browser.GoAsync($"/hubs/{Group}/{hubName}/telemetry");
        await Assertions.Expect(page.GetByTestId("telemetry-chart")).ToBeVisibleAsync();
        var message = page.GetByTestId("telemetry-message").Filter(new() { HasText = "walk-device-1" }).First;
        for (var attempt = 0; attempt < 20 && !await message.IsVisibleAsync(); attempt++)
        {
            // The view reads from "now"; the device keeps sending until a message arrives after the view started.
            await device.PublishAsync("devices/walk-device-1/messages/events/", $"{{\"temperature\":{20 + attempt}}}");
            try
            {
                await message.WaitForAsync(new() { Timeout = 1_000 });
            }
            catch (TimeoutException)
            {
                // Not yet: send another.
            }
        }

        await Assertions.Expect(message).ToContainTextAsync("temperature");
        await browser.ShotAsync("telemetry");

        await browser.Tab("Devices").ClickAsync();
        var row = page.GetByRole(AriaRole.Table, new() { Name = "Devices" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "walk-device-1" });
        await Assertions.Expect(row).ToContainTextAsync("Connected");
        await Assertions.Expect(row).ToContainTextAsync("certificateAuthority");
        await browser.ShotAsync("devices");

        await browser.GoAsync($"/namespaces/{Group}/walk-ns/certificates");
        var issued = page.GetByRole(AriaRole.Table, new() { Name = "Issued certificates" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "CN=walk-device-1" });
        await Assertions.Expect(issued).ToContainTextAsync(certificate.SerialNumber, new() { IgnoreCase = true });
        await Assertions.Expect(issued).ToContainTextAsync("walk-policy");
        await browser.ShotAsync("issued-certificates");
        browser.AssertNoErrors();
    }

    /// <summary>The add-role-assignment flow: role (from the right tab), members (an identity, a service principal or a pasted ID), review + assign.</summary>
    private static async Task AssignRoleAsync(PortalBrowser browser, string role, bool privileged, string? member, string? pastedPrincipal = null)
    {
        var page = browser.Page;
        await browser.Button("+ Add role assignment").ClickAsync();
        if (privileged)
        {
            await browser.Tab("Privileged administrator roles").ClickAsync();
        }

        await page.GetByLabel("Search roles").FillAsync(role);
        await page.GetByRole(AriaRole.Radiogroup, new() { Name = "Roles" }).Locator("label").Filter(new() { Has = page.GetByText(role, new() { Exact = true }) }).ClickAsync();
        await browser.Button("Next").ClickAsync();
        if (pastedPrincipal is not null)
        {
            await page.Locator("#member-principal").FillAsync(pastedPrincipal);
        }
        else if (member == "Azure IoT Hub")
        {
            await page.GetByText("User, group, or service principal").ClickAsync();
            await browser.Button("Azure IoT Hub").ClickAsync();
        }
        else
        {
            await page.Locator("#member-identity").SelectOptionAsync(new SelectOptionValue { Label = $"{member} ({Group})" });
        }

        await browser.Button("Next").ClickAsync();
        await Assertions.Expect(page.GetByTestId("assignment-review")).ToContainTextAsync(role);
        await browser.ShotAsync($"assign-{role.Replace(' ', '-')}");
        await browser.Button("Review + assign").ClickAsync();
        await Assertions.Expect(page.GetByTestId("assignment-done")).ToContainTextAsync(role);
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Role assignments" })).ToContainTextAsync(role);
    }

    /// <summary>What the device's maker knows: the hub's host name, the DPS scope and the enrollment group's key (read from the service API).</summary>
    private async Task<LinkedHubSetup> DeviceSideAsync(string hubName, string dpsName, string idScope)
    {
        var client = fixture.Client;
        var hubPath = client.HubPath(Group, hubName);
        var hostName = (await client.GetAsync(hubPath)).Body!["properties"]!["hostName"]!.GetValue<string>();
        var ownerKey = (await client.PostAsync(hubPath + "/IotHubKeys/iothubowner/listkeys", new { })).Body!["primaryKey"]!.GetValue<string>();
        var dpsPath = client.DpsPath(Group, dpsName);
        var serviceHost = (await client.GetAsync(dpsPath)).Body!["properties"]!["serviceOperationsHostName"]!.GetValue<string>();
        var dpsKey = (await client.PostAsync(dpsPath + "/listkeys", new { })).Body!["value"]![0]!["primaryKey"]!.GetValue<string>();
        using var service = new HostClient(client.Server, serviceHost);
        var token = SharedAccessSignature.Create(serviceHost, dpsKey, "provisioningserviceowner", DateTimeOffset.UtcNow.AddHours(1));
        var group = await service.SendAsync(HttpMethod.Get, $"/enrollmentGroups/walk-fleet?{RegistrationFixture.Api}", token);
        Assert.True(group.Status == HttpStatusCode.OK, group.ToString());
        return new LinkedHubSetup(new HubSetup(hubPath, hostName, ownerKey), client.NamespacePath(Group, "walk-ns"), idScope,
            group.Body!["attestation"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>());
    }
}

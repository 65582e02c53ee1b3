using System.Net;
using Microsoft.Playwright;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Portal;

/// <summary>
/// Refusals in the portal: each shows the server's message where the user is (next to the field or step), and nothing
/// is created.
/// </summary>
public sealed class PortalRefusalTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_bad_namespace_name_is_flagged_as_typed_and_refused_by_the_server_with_its_rule()
    {
        await using var browser = await PortalBrowser.OpenAsync(fixture.Server, nameof(A_bad_namespace_name_is_flagged_as_typed_and_refused_by_the_server_with_its_rule));
        await browser.SignInAsync();
        await browser.GoAsync("/namespaces/create");
        await browser.NewResourceGroupAsync();
        await browser.Page.Locator("#basics-group").FillAsync("refusals");
        await browser.Page.Locator("#basics-name").FillAsync("Bad_Name-");
        var rule = browser.Page.GetByTestId("name-rule");
        await Assertions.Expect(rule).ToContainTextAsync("lower-case");
        await browser.ShotAsync("name-rule");

        await browser.Tab("Review + create").ClickAsync();
        await browser.Button("Create").ClickAsync();
        var error = browser.Page.GetByTestId("create-error");
        await Assertions.Expect(error).ToContainTextAsync("InvalidResourceName");
        await Assertions.Expect(error).ToContainTextAsync("'Bad_Name-' is invalid");
        await browser.ShotAsync("server-refusal");

        var created = await fixture.Client.GetAsync(fixture.Client.NamespacePath("refusals", "Bad_Name-"));
        Assert.NotEqual(HttpStatusCode.OK, created.Status);
        // The group made for the refused namespace is taken away again.
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync(fixture.Client.ResourceGroupPath("refusals"))).Status);
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task A_policy_validity_out_of_range_is_refused_next_to_the_field()
    {
        var group = "refusal-policy";
        await fixture.Client.PutAsync(fixture.Client.ResourceGroupPath(group), new { location = "eastus" });
        await fixture.Client.PollAsync(await fixture.Client.PutAsync(fixture.Client.NamespacePath(group, "validity-ns"), new { location = "eastus", identity = new { type = "SystemAssigned" } }));

        await using var browser = await PortalBrowser.OpenAsync(fixture.Server, nameof(A_policy_validity_out_of_range_is_refused_next_to_the_field));
        await browser.SignInAsync();
        await browser.GoAsync($"/namespaces/{group}/validity-ns/policies");
        await browser.Button("+ Create").ClickAsync();
        await browser.Page.GetByLabel("Name", new() { Exact = true }).FillAsync("too-long");
        await browser.Page.GetByLabel("Validity period (days)").FillAsync("365");
        await browser.Page.GetByRole(AriaRole.Region, new() { Name = "Create credential policy" }).GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        var error = browser.Page.GetByTestId("policy-error");
        await Assertions.Expect(error).ToContainTextAsync("365");
        await Assertions.Expect(error).ToContainTextAsync("90");
        await browser.ShotAsync("validity-refused");

        var policy = await fixture.Client.GetAsync(fixture.Client.PolicyPath(group, "validity-ns", "too-long"));
        Assert.Equal(HttpStatusCode.NotFound, policy.Status);
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task A_hub_linked_without_the_needed_role_assignments_is_refused_naming_the_missing_role()
    {
        var group = "refusal-hub";
        var client = fixture.Client;
        await client.PutAsync(client.ResourceGroupPath(group), new { location = "eastus" });
        await client.PollAsync(await client.PutAsync(client.NamespacePath(group, "unlinked-ns"), new { location = "eastus", identity = new { type = "SystemAssigned" } }));
        await client.PutAsync(client.IdentityPath(group, "no-roles"), new { location = "eastus" });

        await using var browser = await PortalBrowser.OpenAsync(fixture.Server, nameof(A_hub_linked_without_the_needed_role_assignments_is_refused_naming_the_missing_role));
        await browser.SignInAsync();
        await browser.GoAsync("/hubs/create");
        await browser.Page.Locator("#basics-group").SelectOptionAsync(group);
        var name = $"refused-{Guid.NewGuid():N}"[..20];
        await browser.Page.Locator("#basics-name").FillAsync(name);
        await browser.Page.Locator("#hub-tier").SelectOptionAsync("GEN2");
        await browser.Page.Locator("#hub-namespace").SelectOptionAsync(new SelectOptionValue { Label = "unlinked-ns" });
        await browser.Page.Locator("#hub-identity").SelectOptionAsync(new SelectOptionValue { Label = "no-roles" });
        await browser.Tab("Review + create").ClickAsync();
        await browser.Button("Create").ClickAsync();
        var error = browser.Page.GetByTestId("create-error");
        await Assertions.Expect(error).ToContainTextAsync("Azure Device Registry");
        await Assertions.Expect(error).ToContainTextAsync("role");
        await browser.ShotAsync("link-refused");

        var hub = await client.GetAsync(client.HubPath(group, name));
        Assert.Equal(HttpStatusCode.NotFound, hub.Status);
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task An_add_on_Outpost_does_not_provide_is_refused_before_any_hub_exists()
    {
        var group = "refusal-addon";
        await fixture.Client.PutAsync(fixture.Client.ResourceGroupPath(group), new { location = "eastus" });
        await using var browser = await PortalBrowser.OpenAsync(fixture.Server, nameof(An_add_on_Outpost_does_not_provide_is_refused_before_any_hub_exists));
        await browser.SignInAsync();
        await browser.GoAsync("/hubs/create");
        await browser.Page.Locator("#basics-group").SelectOptionAsync(group);
        var name = $"addon-{Guid.NewGuid():N}"[..20];
        await browser.Page.Locator("#basics-name").FillAsync(name);
        await browser.Page.Locator("#hub-tier").SelectOptionAsync("S1");
        await browser.Tab("Add-ons").ClickAsync();
        await browser.Page.GetByLabel("Enable Defender for IoT").CheckAsync();
        await browser.Tab("Review + create").ClickAsync();
        await browser.Button("Create").ClickAsync();
        var error = browser.Page.GetByTestId("create-error");
        await Assertions.Expect(error).ToContainTextAsync("FeatureNotProvided");
        await Assertions.Expect(error).ToContainTextAsync("Defender for IoT");
        await browser.ShotAsync("addon-refused");

        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync(fixture.Client.HubPath(group, name))).Status);
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_at_sign_in_with_the_token_endpoint_s_message()
    {
        await using var browser = await PortalBrowser.OpenAsync(fixture.Server, nameof(A_wrong_secret_is_refused_at_sign_in_with_the_token_endpoint_s_message));
        var admin = fixture.Server.Admin;
        await browser.Page.GotoAsync("/signin");
        await browser.Page.GetByLabel("Tenant ID").FillAsync(admin.TenantId);
        await browser.Page.GetByLabel("Client ID").FillAsync(admin.ClientId);
        await browser.Page.GetByLabel("Client secret").FillAsync("not-the-secret");
        await browser.Button("Sign in").ClickAsync();
        await Assertions.Expect(browser.Page.GetByTestId("error")).ToContainTextAsync("invalid_client");
        await browser.ShotAsync("wrong-secret");

        // Still not signed in: a portal page sends the browser back to sign in.
        await browser.Page.GotoAsync("/hubs");
        await browser.Page.WaitForURLAsync("**/signin**");
    }
}

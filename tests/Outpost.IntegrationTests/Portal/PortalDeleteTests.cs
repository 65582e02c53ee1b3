using System.Net;
using Microsoft.Playwright;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Portal;

/// <summary>Delete on an overview: the name typed again, the server's refusal kept on the page, the list afterwards.</summary>
public sealed class PortalDeleteTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_namespace_a_hub_uses_is_kept_with_the_reason_and_its_resource_group_is_deleted_with_everything_in_it()
    {
        const string group = "portal-delete";
        var setup = await LinkedHubSetup.CreateAsync(fixture.Client, group);
        await using var browser = await PortalBrowser.OpenAsync(fixture.Server, nameof(A_namespace_a_hub_uses_is_kept_with_the_reason_and_its_resource_group_is_deleted_with_everything_in_it));
        await browser.SignInAsync();

        await browser.GoAsync($"/namespaces/{group}/{group}-ns");
        await browser.Button("Delete").ClickAsync();
        var confirm = browser.Page.GetByRole(AriaRole.Region, new() { Name = "Delete Namespace" });
        var delete = confirm.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true });
        await Assertions.Expect(delete).ToBeDisabledAsync();
        await browser.Page.Locator("#delete-confirm").FillAsync($"{group}-ns");
        await delete.ClickAsync();
        var error = browser.Page.GetByTestId("delete-error");
        await Assertions.Expect(error).ToContainTextAsync("Conflict");
        await Assertions.Expect(error).ToContainTextAsync(setup.Hub.HubPath);
        await browser.ShotAsync("namespace-kept");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync(setup.NamespacePath)).Status);

        await browser.GoAsync($"/groups/{group}");
        await browser.Button("Delete").ClickAsync();
        await browser.Page.Locator("#delete-confirm").FillAsync(group);
        await browser.Page.GetByRole(AriaRole.Region, new() { Name = "Delete Resource group" }).GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await browser.Page.WaitForURLAsync("**/groups");
        await browser.ShotAsync("group-deleted");
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync(fixture.Client.ResourceGroupPath(group))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync(setup.Hub.HubPath)).Status);
        browser.AssertNoErrors();
    }
}

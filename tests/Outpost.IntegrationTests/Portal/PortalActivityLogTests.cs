using System.Net;
using Microsoft.Playwright;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Portal;

/// <summary>The Activity log page: management operations, whoever made them, with the refusal's message on a failed one.</summary>
public sealed class PortalActivityLogTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Operations_of_a_group_are_listed_and_a_failed_one_shows_the_server_s_message()
    {
        var client = fixture.Client;
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync(client.ResourceGroupPath("audited"), new { location = "eastus" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync(client.ResourceGroupPath("elsewhere"), new { location = "eastus" })).Status);
        var refused = await client.PutAsync(client.NamespacePath("audited", "Bad_Name-"), new { location = "eastus" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);

        await using var browser = await PortalBrowser.OpenAsync(fixture.Server, nameof(Operations_of_a_group_are_listed_and_a_failed_one_shows_the_server_s_message));
        await browser.SignInAsync();
        await browser.GoAsync("/activity");
        var rows = browser.Page.GetByRole(AriaRole.Table, new() { Name = "Activity log" }).Locator("tbody tr");
        await Assertions.Expect(rows.Filter(new() { HasText = "elsewhere" })).ToHaveCountAsync(1);

        await browser.Page.Locator("#activity-group").SelectOptionAsync("audited");
        await Assertions.Expect(rows.Filter(new() { HasText = "elsewhere" })).ToHaveCountAsync(0);
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Filter(new() { HasText = "Microsoft.Resources/subscriptions/resourceGroups/write" })).ToContainTextAsync("Succeeded");
        var failed = rows.Filter(new() { HasText = "Microsoft.DeviceRegistry/namespaces/write" });
        await Assertions.Expect(failed).ToContainTextAsync("Failed");
        await Assertions.Expect(failed).ToContainTextAsync(client.Server.Admin.ClientId);
        await browser.ShotAsync("activity");

        await failed.GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(browser.Page.GetByTestId("activity-detail-error")).ToContainTextAsync($"InvalidResourceName: {refused.ErrorMessage}");
        await Assertions.Expect(browser.Page.GetByTestId("activity-detail")).ToContainTextAsync("\"correlationId\"");
        await browser.ShotAsync("activity-detail");
        // The event's long ids wrap inside the page rather than pushing it sideways.
        Assert.True(await browser.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0,
            "The expanded event made the page wider than the window.");
        browser.AssertNoErrors();
    }
}

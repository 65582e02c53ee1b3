using Microsoft.Playwright;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Portal;

/// <summary>
/// The portal's pages at a desktop's 1280×800 and a phone's 390 px: everything on the page fits its width (no
/// sideways scrolling of the page itself), the navigation and the page's heading are visible, and the browser logs no
/// error.
/// </summary>
public sealed class PortalLayoutTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string[] Pages =
        ["/", "/groups", "/namespaces", "/namespaces/create", "/hubs", "/hubs/create", "/dps", "/dps/create", "/identities", "/identities/create", "/activity",
         "/namespaces/layout/layout-ns", "/namespaces/layout/layout-ns/iam", "/namespaces/layout/layout-ns/policies", "/namespaces/layout/layout-ns/certificates"];

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task Every_page_fits_the_viewport_without_errors(int width, int height)
    {
        await fixture.Client.PutAsync(fixture.Client.ResourceGroupPath("layout"), new { location = "eastus" });
        var created = await fixture.Client.PutAsync(fixture.Client.NamespacePath("layout", "layout-ns"), new { location = "eastus", identity = new { type = "SystemAssigned" } });
        if (created.Status == System.Net.HttpStatusCode.Created)
        {
            await fixture.Client.PollAsync(created);
        }

        await using var browser = await PortalBrowser.OpenAsync(fixture.Server, $"layout-{width}x{height}", width, height);
        await browser.SignInAsync();
        foreach (var path in Pages)
        {
            await browser.GoAsync(path);
            await Assertions.Expect(browser.Page.Locator("h1")).ToBeVisibleAsync();
            await Assertions.Expect(browser.Page.GetByRole(AriaRole.Navigation, new() { Name = "Services" })).ToBeVisibleAsync();
            await browser.ShotAsync(path.Trim('/').Replace('/', '-') is { Length: > 0 } name ? name : "home");
            var overflow = await browser.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{path} at {width}px is {overflow}px wider than the viewport.");
        }

        browser.AssertNoErrors();
    }
}

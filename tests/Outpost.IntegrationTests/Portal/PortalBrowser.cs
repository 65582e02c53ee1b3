using Microsoft.Playwright;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Portal;

/// <summary>
/// Debian's Chromium driven by Playwright against a running server's portal, signed in as the bootstrap admin. It
/// collects every console error and page error (a test fails on any), and keeps a screenshot of each step under
/// <c>artifacts/portal/{test}/</c> beside the test binaries.
/// </summary>
internal sealed class PortalBrowser : IAsyncDisposable
{
    /// <summary>Chromium from the distribution (the test command installs it); Playwright never downloads a browser here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright playwright;
    private readonly IBrowser browser;
    private readonly string screenshots;
    private int step;

    private PortalBrowser(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page, OutpostServer server, string screenshots)
    {
        this.playwright = playwright;
        this.browser = browser;
        Context = context;
        Page = page;
        Server = server;
        this.screenshots = screenshots;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Errors.Add($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => Errors.Add($"page: {error}");
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public OutpostServer Server { get; }

    public List<string> Errors { get; } = [];

    public static async Task<PortalBrowser> OpenAsync(OutpostServer server, string testName, int width = 1280, int height = 800)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
        // The server's certificate chains to its own CA, which this throwaway browser profile does not hold.
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            BaseURL = server.BaseAddress,
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var screenshots = Path.Combine(AppContext.BaseDirectory, "artifacts", "portal", testName);
        Directory.CreateDirectory(screenshots);
        return new PortalBrowser(playwright, browser, context, page, server, screenshots);
    }

    /// <summary>Signs in with the admin's service principal, as an operator would with the values from admin.json.</summary>
    public async Task SignInAsync()
    {
        var admin = Server.Admin;
        await Page.GotoAsync("/");
        await Page.WaitForURLAsync("**/signin**");
        await Page.GetByLabel("Tenant ID").FillAsync(admin.TenantId);
        await Page.GetByLabel("Client ID").FillAsync(admin.ClientId);
        await Page.GetByLabel("Client secret").FillAsync(admin.ClientSecret);
        await ShotAsync("sign-in");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Page.GetByRole(AriaRole.Heading, new() { Name = "Outpost", Exact = true }).WaitForAsync();
        await WaitForCircuitAsync();
    }

    /// <summary>Goes to a portal page and waits until its interactive circuit answers clicks.</summary>
    public async Task GoAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitForCircuitAsync();
    }

    /// <summary>Blazor attaches its event handlers once the circuit is up; until then a click does nothing.</summary>
    public async Task WaitForCircuitAsync()
    {
        try
        {
            await Page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"The page's circuit did not start. Browser errors: {string.Join('\n', Errors)}\nServer output: {Server.Output[^Math.Min(4000, Server.Output.Length)..]}", exception);
        }
    }

    public async Task ShotAsync(string name)
    {
        step++;
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, $"{step:00}-{name}.png"), FullPage = true });
    }

    /// <summary>
    /// On a Basics tab, switches the resource group to "Create new" (a fresh server has no group, and offers that at
    /// once), after the group list has loaded: before that the picker is disabled.
    /// </summary>
    public async Task NewResourceGroupAsync()
    {
        await Page.Locator("#basics-group:not([disabled])").WaitForAsync();
        if (await Button("Create new").IsVisibleAsync())
        {
            await Button("Create new").ClickAsync();
        }
    }

    public ILocator Tab(string name) => Page.GetByRole(AriaRole.Tab, new() { Name = name, Exact = true });

    public ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public void AssertNoErrors() => Assert.True(Errors.Count == 0, string.Join('\n', Errors));

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}

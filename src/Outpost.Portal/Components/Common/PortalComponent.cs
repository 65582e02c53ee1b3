using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Outpost.Client;
using Outpost.Portal.Session;

namespace Outpost.Portal.Components.Common;

/// <summary>
/// What every portal page does the same way: call the APIs with the signed-in user's token, show a busy state while a
/// call runs, and keep the server's refusal (its code and message) for the page to show where it concerns the user.
/// </summary>
public abstract class PortalComponent : ComponentBase
{
    [Inject]
    internal PortalSession Session { get; set; } = default!;

    protected bool Busy { get; private set; }

    /// <summary>The last refusal, as the server worded it; null after a call that succeeded.</summary>
    protected OutpostApiException? Error { get; set; }

    protected string SubscriptionId => Session.SubscriptionId;

    /// <summary>Runs <paramref name="action"/>; a refusal is kept in <see cref="Error"/> and false returned.</summary>
    protected async Task<bool> RunAsync(Func<OutpostApi, Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Busy = true;
        Error = null;
        StateHasChanged();
        try
        {
            await action(await Session.ApiAsync());
            return true;
        }
        catch (OutpostApiException exception)
        {
            Error = exception;
            return false;
        }
        finally
        {
            Busy = false;
        }
    }

    protected async Task<JsonNode?> ArmAsync(HttpMethod method, string path, string apiVersion, object? body = null) =>
        await (await Session.ApiAsync()).ArmAsync(method, path, apiVersion, body, CancellationToken.None);

    /// <summary>The <c>value</c> array of a list answer.</summary>
    protected async Task<List<JsonNode>> ListAsync(string path, string apiVersion) =>
        (await ArmAsync(HttpMethod.Get, path, apiVersion))?["value"]?.AsArray().Where(item => item is not null).Select(item => item!).ToList() ?? [];

    protected override async Task OnInitializedAsync()
    {
        await Session.ApiAsync();
        await base.OnInitializedAsync();
    }
}

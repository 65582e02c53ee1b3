using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;

namespace Outpost.Portal.Components.Layout;

/// <summary>
/// Keeps a failing component from ending the whole circuit: its part of the page shows the failure instead, and the
/// exception is logged as an error. A <see cref="JSDisconnectedException"/> is not a failure but the browser having
/// left (a reload, a closed tab) while a UI-library component still made its first call into it; the circuit is
/// being torn down anyway, so it is dropped without a log entry.
/// </summary>
public sealed partial class PortalErrorBoundary : ErrorBoundary
{
    [Inject]
    private ILogger<PortalErrorBoundary> Logger { get; set; } = default!;

    protected override Task OnErrorAsync(Exception exception)
    {
        if (exception is not JSDisconnectedException)
        {
            LogFailure(Logger, exception);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Error, EventName = "PortalComponentFailed", Message = "A portal component failed")]
    private static partial void LogFailure(ILogger logger, Exception exception);
}

using Microsoft.AspNetCore.Diagnostics;
using Outpost.Core.Errors;

namespace Outpost.Management.Arm;

/// <summary>
/// Turns every exception into the ARM error envelope. Refusals (<see cref="OutpostException"/>) carry their own
/// message; anything else is a server fault, logged with its details while the client sees only a tracking id.
/// </summary>
internal sealed partial class ArmExceptionHandler(ILogger<ArmExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var refusal = exception switch
        {
            OutpostException outpost => outpost,
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new OutpostException(ErrorCode.RequestEntityTooLarge,
                "The request body is larger than the 4 MB this server reads. Send a smaller body."),
            BadHttpRequestException bad => new OutpostException(ErrorCode.InvalidRequestContent, $"The request could not be read: {bad.Message}"),
            _ => null,
        };
        if (refusal is null)
        {
            LogUnhandled(logger, exception, httpContext.TraceIdentifier, httpContext.Request.Method, httpContext.Request.Path);
            refusal = new OutpostException(ErrorCode.InternalServerError,
                $"The server failed to process the request. Quote tracking id '{httpContext.TraceIdentifier}' when reporting it; the server log has the details.");
        }

        await ArmErrors.WriteAsync(httpContext, refusal);
        return true;
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Error, EventName = "UnhandledRequestFault",
        Message = "Request {TraceIdentifier} {Method} {Path} failed")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string traceIdentifier, string method, string path);
}

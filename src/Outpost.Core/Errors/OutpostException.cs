namespace Outpost.Core.Errors;

/// <summary>
/// The one exception domain code throws for a refusal a client should see. <see cref="Exception.Message"/> goes to the
/// client, so it must say what was wrong and what was expected, and must never carry secrets or key material.
/// </summary>
public sealed class OutpostException : Exception
{
    public OutpostException(ErrorCode code, string message, string? target = null)
        : base(message)
    {
        Code = code;
        Target = target;
    }

    public OutpostException(ErrorCode code, string message, string? target, IReadOnlyList<OutpostException> details)
        : this(code, message, target)
    {
        Details = details;
    }

    public ErrorCode Code { get; }

    /// <summary>The property or parameter the error is about, e.g. <c>properties.leafCertificateConfiguration.validityPeriodInDays</c>.</summary>
    public string? Target { get; }

    /// <summary>Further errors found in the same request, so a client sees every problem at once.</summary>
    public IReadOnlyList<OutpostException> Details { get; } = [];
}

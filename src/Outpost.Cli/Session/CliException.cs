namespace Outpost.Cli.Session;

/// <summary>
/// A failure the command line reports: the server's error code and message when the server refused, or what was
/// wrong locally. <see cref="ExitCode"/> tells the class of error to scripts.
/// </summary>
internal sealed class CliException(int exitCode, string code, string message) : Exception(message)
{
    public const int Failure = 1;
    public const int Usage = 2;
    public const int NotFound = 3;
    public const int Conflict = 4;
    public const int Unauthorized = 5;
    public const int InvalidRequest = 6;
    public const int NotSignedIn = 7;

    public int ExitCode { get; } = exitCode;

    public string Code { get; } = code;

    /// <summary>The exit code for an HTTP status the server answered with.</summary>
    public static int ForStatus(int status) => status switch
    {
        404 => NotFound,
        409 or 412 => Conflict,
        401 or 403 => Unauthorized,
        400 or 413 => InvalidRequest,
        _ => Failure,
    };
}

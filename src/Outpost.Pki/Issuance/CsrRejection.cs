using Outpost.Core.Errors;

namespace Outpost.Pki.Issuance;

/// <summary>Builds the client-facing refusal of a CSR.</summary>
internal static class CsrRejection
{
    /// <summary>The request field the refusal is about.</summary>
    internal const string Target = "csr";

    internal static OutpostException Create(string message) => new(ErrorCode.CsrRejected, message, Target);
}

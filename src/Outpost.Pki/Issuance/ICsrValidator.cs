namespace Outpost.Pki.Issuance;

/// <summary>A check on the device's CSR. Throws <see cref="Core.Errors.OutpostException"/> with <c>CsrRejected</c> to refuse it.</summary>
internal interface ICsrValidator
{
    void Validate(IssuanceContext context);
}

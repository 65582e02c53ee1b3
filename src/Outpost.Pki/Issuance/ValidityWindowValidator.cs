namespace Outpost.Pki.Issuance;

/// <summary>
/// The leaf must lie inside the issuing CA's validity and not be empty. It fails when the issuing CA itself has expired
/// (or is not yet valid), which the operator must fix by rotating the CA.
/// </summary>
internal sealed class ValidityWindowValidator : ICertificateValidator
{
    public void Validate(IssuanceContext context, LeafTemplate template)
    {
        if (template.NotAfter <= template.NotBefore
            || template.NotBefore < context.IssuerValidity.NotBefore
            || template.NotAfter > context.IssuerValidity.NotAfter)
        {
            throw new InvalidOperationException(
                $"The issuing CA '{context.Issuer.Subject}' cannot sign a certificate now: it is valid from " +
                $"{context.IssuerValidity.NotBefore:O} to {context.IssuerValidity.NotAfter:O}, and the time is {context.Now:O}. " +
                "Rotate the issuing CA.");
        }
    }
}

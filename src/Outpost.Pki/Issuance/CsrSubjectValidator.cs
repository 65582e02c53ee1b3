using System.Security.Cryptography.X509Certificates;

namespace Outpost.Pki.Issuance;

/// <summary>The CSR's subject must carry exactly one CN, equal (ordinal, case-sensitive) to the device identity.</summary>
internal sealed class CsrSubjectValidator : ICsrValidator
{
    private const string CommonNameOid = "2.5.4.3";

    public void Validate(IssuanceContext context)
    {
        string identity = context.Request.Identity;
        List<string> commonNames = [];
        foreach (X500RelativeDistinguishedName rdn in context.Csr.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == CommonNameOid)
            {
                commonNames.Add(rdn.GetSingleElementValue() ?? string.Empty);
            }
        }

        switch (commonNames.Count)
        {
            case 0:
                throw CsrRejection.Create(
                    $"The CSR subject has no common name (CN); expected CN={ClientText.Quote(identity)}, the device identity.");
            case > 1:
                throw CsrRejection.Create(
                    $"The CSR subject has {commonNames.Count} common names (CN); expected exactly one, CN={ClientText.Quote(identity)}.");
        }

        if (!string.Equals(commonNames[0], identity, StringComparison.Ordinal))
        {
            throw CsrRejection.Create(
                $"The CSR subject CN {ClientText.Quote(commonNames[0])} does not match the device identity {ClientText.Quote(identity)}; " +
                "the CN must equal the identity exactly (case-sensitive).");
        }
    }
}

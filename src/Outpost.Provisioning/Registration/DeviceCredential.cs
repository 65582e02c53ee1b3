using System.Security.Cryptography.X509Certificates;
using Outpost.Core.SharedAccess;

namespace Outpost.Provisioning.Registration;

/// <summary>How a registering device proved who it is: a SAS token, or a TLS client certificate chain (leaf first).</summary>
internal abstract record DeviceCredential
{
    private DeviceCredential()
    {
    }

    public sealed record Token(SharedAccessSignature Signature) : DeviceCredential;

    public sealed record Certificate(X509Certificate2 Leaf, IReadOnlyList<X509Certificate2> Chain) : DeviceCredential;
}

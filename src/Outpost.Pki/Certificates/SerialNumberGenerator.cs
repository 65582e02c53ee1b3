using System.Security.Cryptography;

namespace Outpost.Pki.Certificates;

/// <summary>Makes certificate serial numbers.</summary>
internal static class SerialNumberGenerator
{
    /// <summary>Bytes of randomness in a serial number.</summary>
    internal const int Length = 16;

    /// <summary>
    /// 16 random bytes with the high bit cleared: 127 random bits, well above the 64 the CA/Browser Forum Baseline
    /// Requirements (§7.1) ask for so that serials cannot be predicted (which defeats chosen-prefix collision attacks on
    /// the signature) and never collide in practice. The high bit is cleared so the DER INTEGER is positive without a
    /// padding byte and fits RFC 5280's 20-octet limit; all-zero is refused because RFC 5280 §4.1.2.2 requires a
    /// positive serial.
    /// </summary>
    internal static byte[] Next()
    {
        byte[] serial = new byte[Length];
        do
        {
            RandomNumberGenerator.Fill(serial);
            serial[0] &= 0x7F;
        }
        while (serial.AsSpan().IndexOfAnyExcept((byte)0) < 0);

        return serial;
    }
}

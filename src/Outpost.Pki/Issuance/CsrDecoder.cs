using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Outpost.Pki.Issuance;

/// <summary>A decoded CSR and whether its self-signature verified while decoding.</summary>
internal readonly record struct DecodedCsr(CertificateRequest Request, bool SignatureVerified);

/// <summary>Decodes the CSR bytes; <see cref="CsrSignatureValidator"/> reports a signature that did not verify.</summary>
internal static class CsrDecoder
{
    internal const string MalformedMessage =
        "The certificate signing request could not be decoded as a DER PKCS#10 request. " +
        "Expected the DER bytes of a PKCS#10 CertificationRequest (RFC 2986), without PEM armour.";

    /// <summary>
    /// Loads the CSR verifying its signature, which is the whole work for a good CSR. Only if that fails is it loaded
    /// again without the check, so that the validators report an unsupported key type as such rather than as a bad
    /// signature. Verifying before the key check lets a caller make the server verify an RSA signature it will refuse;
    /// only attested devices and authorised API callers reach issuance, and an RSA verification is cheap.
    /// </summary>
    internal static DecodedCsr Decode(byte[] der)
    {
        if (der.Length == 0)
        {
            throw CsrRejection.Create("The certificate signing request is empty. " + MalformedMessage);
        }

        try
        {
            return new DecodedCsr(CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA384, CertificateRequestLoadOptions.Default), true);
        }
        catch (Exception exception) when (IsUnreadable(exception))
        {
            // Malformed, an algorithm or curve we cannot verify, or a bad signature: decide which below.
        }

        try
        {
            return new DecodedCsr(
                CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA384, CertificateRequestLoadOptions.SkipSignatureValidation), false);
        }
        catch (Exception exception) when (IsUnreadable(exception))
        {
            throw CsrRejection.Create(MalformedMessage);
        }
    }

    /// <summary>
    /// What .NET throws for bytes that are no usable CSR. A key on a curve the platform does not know surfaces as
    /// PlatformNotSupportedException, an unknown signature algorithm as NotSupportedException (both found by fuzzing:
    /// one flipped byte in an OID did it); the key validator then names the curve.
    /// </summary>
    private static bool IsUnreadable(Exception exception) => exception is CryptographicException or NotSupportedException or ArgumentException;
}

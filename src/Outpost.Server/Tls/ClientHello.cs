using System.Buffers;

namespace Outpost.Server.Tls;

/// <summary>
/// Reads just enough of a TLS ClientHello (RFC 8446 §4.1.2) to tell whether the client offers TLS 1.3: the
/// <c>supported_versions</c> extension listing 0x0304. .NET's own hello parsing reports only the legacy version fields,
/// which say TLS 1.2 for every TLS 1.3 client. Anything that is not a well-formed ClientHello in one record reads as
/// "does not offer TLS 1.3", which leads to the slower but complete TLS 1.2-or-1.3 path, never to a refusal.
/// </summary>
internal static class ClientHello
{
    /// <summary>A plaintext TLS record: a 5-byte header and at most 2^14 bytes, all a ClientHello may take.</summary>
    public const int MaxRecordBytes = 5 + 16_384;

    private const byte HandshakeRecord = 22;
    private const byte ClientHelloMessage = 1;
    private const ushort SupportedVersions = 43;

    /// <summary>True or false once the first record has arrived whole; null while more bytes are needed.</summary>
    public static bool? OffersTls13(ReadOnlySequence<byte> received)
    {
        if (received.Length < 5)
        {
            return null;
        }

        Span<byte> header = stackalloc byte[5];
        received.Slice(0, 5).CopyTo(header);
        var recordLength = (header[3] << 8) | header[4];
        if (header[0] != HandshakeRecord || 5 + recordLength > MaxRecordBytes)
        {
            return false;
        }

        if (received.Length < 5 + recordLength)
        {
            return null;
        }

        var record = received.Slice(5, recordLength).ToArray();
        return OffersTls13(record);
    }

    private static bool OffersTls13(ReadOnlySpan<byte> record)
    {
        var reader = new Reader(record);
        if (!reader.Byte(out var type) || type != ClientHelloMessage || !reader.Length(3, out var helloLength) || helloLength > reader.Remaining)
        {
            return false;
        }

        reader = new Reader(record.Slice(4, helloLength));
        // legacy_version and random, then the session id, cipher suites and compression methods, each with its length.
        if (!reader.Skip(2 + 32) || !reader.SkipVector(1) || !reader.SkipVector(2) || !reader.SkipVector(1) || !reader.Length(2, out var extensionsLength)
            || extensionsLength > reader.Remaining)
        {
            return false;
        }

        var extensions = new Reader(reader.Rest[..extensionsLength]);
        while (extensions.Length(2, out var extensionType) && extensions.Length(2, out var extensionLength) && extensionLength <= extensions.Remaining)
        {
            var body = extensions.Rest[..extensionLength];
            if (extensionType == SupportedVersions)
            {
                return body.Length > 0 && body[0] + 1 <= body.Length && ListsTls13(body.Slice(1, body[0]));
            }

            extensions.Skip(extensionLength);
        }

        return false;
    }

    private static bool ListsTls13(ReadOnlySpan<byte> versions)
    {
        for (var index = 0; index + 1 < versions.Length; index += 2)
        {
            if (versions[index] == 3 && versions[index + 1] == 4)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Big-endian fields read forward with every length checked against what is left.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> rest = data;

        public readonly int Remaining => rest.Length;

        public readonly ReadOnlySpan<byte> Rest => rest;

        public bool Byte(out int value) => Length(1, out value);

        public bool Length(int bytes, out int value)
        {
            value = 0;
            if (rest.Length < bytes)
            {
                return false;
            }

            for (var index = 0; index < bytes; index++)
            {
                value = (value << 8) | rest[index];
            }

            rest = rest[bytes..];
            return true;
        }

        public bool Skip(int bytes)
        {
            if (rest.Length < bytes)
            {
                return false;
            }

            rest = rest[bytes..];
            return true;
        }

        public bool SkipVector(int lengthBytes) => Length(lengthBytes, out var length) && Skip(length);
    }
}

using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Outpost.Server.Tls;

/// <summary>
/// A connection middleware in front of Kestrel's TLS: it waits for the client's first TLS record without consuming it
/// and notes whether the ClientHello offers TLS 1.3, so the handshake callback can choose options by it. A client that
/// sends no whole record within the handshake timeout is closed here, as Kestrel's TLS would close it.
/// </summary>
internal static class ClientHelloPeek
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static readonly object OffersTls13Key = new();

    public static void UseClientHelloPeek(this ListenOptions listen) => listen.Use(next => async connection =>
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        timeout.CancelAfter(Timeout);
        bool offersTls13;
        try
        {
            offersTls13 = await PeekAsync(connection.Transport.Input, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            connection.Abort(new ConnectionAbortedException("No TLS ClientHello within the handshake timeout."));
            return;
        }

        connection.Items[OffersTls13Key] = offersTls13;
        await next(connection);
    });

    /// <summary>Whether the connection's ClientHello offered TLS 1.3 (false when it was not looked at).</summary>
    public static bool OffersTls13(ConnectionContext connection) => connection.Items.TryGetValue(OffersTls13Key, out var value) && value is true;

    private static async Task<bool> PeekAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var verdict = ClientHello.OffersTls13(result.Buffer);
            if (verdict.HasValue || result.IsCompleted || result.Buffer.Length >= ClientHello.MaxRecordBytes)
            {
                // Nothing consumed: Kestrel's TLS reads the same bytes again.
                input.AdvanceTo(result.Buffer.Start);
                return verdict ?? false;
            }

            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}

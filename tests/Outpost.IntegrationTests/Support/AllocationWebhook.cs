using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Outpost.IntegrationTests.Support;

/// <summary>A custom-allocation webhook on a loopback port: answers each DPS request with what the test decides, and keeps the requests.</summary>
internal sealed class AllocationWebhook : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<JsonObject, JsonObject> answer;

    public AllocationWebhook(Func<JsonObject, JsonObject> answer)
    {
        this.answer = answer;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/allocate";
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        _ = ServeAsync();
    }

    public string Url { get; }

    public ConcurrentQueue<string> Requests { get; } = new();

    public void Dispose() => listener.Close();

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var text = await reader.ReadToEndAsync();
            Requests.Enqueue(text);
            var body = Encoding.UTF8.GetBytes(answer(JsonNode.Parse(text)!.AsObject()).ToJsonString());
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}

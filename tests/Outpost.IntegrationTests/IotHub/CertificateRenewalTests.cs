using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using MQTTnet;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.IotHub;

/// <summary>
/// Certificate renewal over MQTT: a device onboarded through DPS with a CSR connects with its certificate, asks for a
/// new one on <c>$iothub/credentials/POST/issueCertificate/</c>, and gets 202 then 200 with a chain from its policy.
/// </summary>
public sealed class CertificateRenewalTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task ADeviceRenewsItsCertificateOverMqttAndConnectsWithTheNewOne()
    {
        var setup = await LinkedHubSetup.CreateAsync(fixture.Client, "renewal");
        var (certificate, issuingCa) = await setup.RegisterAsync(fixture.Server, "renewing-device");
        using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        List<byte[]> chain;
        using (certificate)
        using (issuingCa)
        {
            var (device, result) = await HubDeviceClient.ConnectAsync(fixture.Server, setup.Hub.HostName, "renewing-device", certificate: certificate);
            await using (device)
            {
                Assert.Equal(MqttClientConnectResultCode.Success, result);
                await device.SubscribeAsync("$iothub/credentials/res/#");

                // A request for another device's id is refused, and nothing is issued for it.
                await device.PublishAsync("$iothub/credentials/POST/issueCertificate/?$rid=wrong-1", new JsonObject { ["id"] = "someone-else", ["csr"] = "AA==" }.ToJsonString());
                var refused = await device.NextAsync("$iothub/credentials/res/400/?$rid=wrong-1");
                Assert.Equal(400004, JsonNode.Parse(Encoding.UTF8.GetString(refused.Payload))!["errorCode"]!.GetValue<int>());

                var csr = new CertificateRequest("CN=renewing-device", newKey, HashAlgorithmName.SHA256).CreateSigningRequest();
                await device.PublishAsync("$iothub/credentials/POST/issueCertificate/?$rid=renew-1",
                    new JsonObject { ["id"] = "renewing-device", ["csr"] = Convert.ToBase64String(csr), ["replace"] = null }.ToJsonString());
                var accepted = await device.NextAsync("$iothub/credentials/res/202/?$rid=renew-1");
                Assert.Equal("renew-1", JsonNode.Parse(Encoding.UTF8.GetString(accepted.Payload))!["correlationId"]!.GetValue<string>());
                var issued = await device.NextAsync("$iothub/credentials/res/200/?$rid=renew-1");
                chain = JsonNode.Parse(Encoding.UTF8.GetString(issued.Payload))!.AsArray().Select(item => Convert.FromBase64String(item!.GetValue<string>())).ToList();
            }
        }

        var (exitCode, output) = await DeviceKeys.OpensslVerifyAsync(chain);
        Assert.True(exitCode == 0, output);
        using var leaf = X509CertificateLoader.LoadCertificate(chain[0]);
        Assert.Equal("CN=renewing-device", leaf.Subject);
        using var renewed = leaf.CopyWithPrivateKey(newKey);
        using var usable = X509CertificateLoader.LoadPkcs12(renewed.Export(X509ContentType.Pfx), null, X509KeyStorageFlags.Exportable);
        var (again, reconnected) = await HubDeviceClient.ConnectAsync(fixture.Server, setup.Hub.HostName, "renewing-device", certificate: usable);
        await using (again)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, reconnected);
        }
    }
}
